from django.apps import AppConfig


class ConveningConfig(AppConfig):
    name = "convening"
    verbose_name = "Convening"

    def ready(self) -> None:
        # Registers the programme's own tables and texts with the exports (convening/exports.py).
        # Views queue the export job by name, so its task must be known in every process.
        from . import (
            archive,  # noqa: F401
            personal_data,
            tasks,  # noqa: F401
        )
        from .views import people  # noqa: F401

        personal_data.register_core()
