from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = "Adaptive spaces"

    def ready(self) -> None:
        from . import personal_data

        personal_data.register_holdings()
