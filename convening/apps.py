from django.apps import AppConfig


class ConveningConfig(AppConfig):
    name = "convening"
    verbose_name = "Convening"

    def ready(self) -> None:
        from . import personal_data

        personal_data.register_core()
