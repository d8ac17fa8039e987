"""Task bookkeeping: one row per enqueued task (the claim that makes redelivery harmless) and one row per
periodic job and period (the lock that makes two schedulers enqueue it once)."""

from __future__ import annotations

from django.db import models


class TaskRun(models.Model):
    """An enqueued task. Written in the enqueuing transaction (so a committed change never loses its task),
    claimed by exactly one executor at a time under a renewable lease, and marked done once: a message
    delivered again after a worker died finds it done (skipped) or its lease expired (taken over)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "执行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    key = models.CharField(max_length=200, unique=True)
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    owner = models.CharField(max_length=120, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "lease_until"], name="tasks_run_status_lease")]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return f"{self.task} {self.get_status_display()}"


class ScheduleSlot(models.Model):
    """A periodic job's period (e.g. ``publicinfo.housekeeping`` / ``2026-11-22``): the unique constraint
    lets exactly one scheduler enqueue it, however many run."""

    job = models.CharField(max_length=80)
    period = models.CharField(max_length=40)
    run_key = models.CharField(max_length=200, blank=True)
    scheduler = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="tasks_slot_once")]
        verbose_name = "定时任务执行记录"
        verbose_name_plural = "定时任务执行记录"

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
