from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = "Activity areas"

    def ready(self) -> None:
        from . import personal_data

        personal_data.register_holdings()
