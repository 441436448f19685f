from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "examples.reminders"
    label = "reminders"
