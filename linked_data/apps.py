from django.apps import AppConfig


class LinkedDataConfig(AppConfig):
    name = "linked_data"
    verbose_name = "CPSV-AP"
