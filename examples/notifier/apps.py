from django.apps import AppConfig


class NotifierConfig(AppConfig):
    name = "examples.notifier"
    label = "notifier"
    verbose_name = "Notifications"
