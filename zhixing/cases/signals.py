"""Domain events other apps react to (published lists, notifications) without the sender knowing them.

Senders call ``.send(sender=EnforcementCase, case=..., ...)`` inside their transaction; receivers that
do outside work (SMS, indexing) should defer it with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# case=EnforcementCase — after 立案 (the 被执行人 are published).
case_filed = Signal()
# case=EnforcementCase, measure=<workflow CaseMatter>, kind=str (e.g. "dishonest", "consumption_restriction")
# — a coercive measure was decided (approved and signed where that is required).
measure_decided = Signal()
# case=EnforcementCase, measure=<workflow CaseMatter>, kind=str — a measure was lifted (performance, expiry, correction).
measure_lifted = Signal()
# case=EnforcementCase, method=str (ClosureMethod value), unpaid=Decimal | None — the case was closed (结案).
case_closed = Signal()
# case=EnforcementCase, on=date — the obligations were fully performed (履行完毕).
performance_completed = Signal()
