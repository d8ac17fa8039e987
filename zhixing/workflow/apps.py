from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "zhixing.workflow"
    verbose_name = "分段执行流程"
