from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        # Registers the programme's tables and texts with core's exports (convening/exports.py).
        from . import (
            archive,  # noqa: F401
            personal_data,
            tasks,  # noqa: F401 - jobs are queued by name, so every process must know them
        )
        from .views import exports  # noqa: F401

        personal_data.register_holdings()
