from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhixing.documents"
    verbose_name = "文书与送达"
