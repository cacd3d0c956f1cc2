from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activity areas"

    def ready(self) -> None:
        # Registers the programme's tables and texts with core's exports (convening/exports.py).
        from . import (
            archive,  # noqa: F401
            personal_data,
        )
        from .views import coverage, plan, register  # noqa: F401

        personal_data.register_holdings()
