"""执行计算工具 — the pure-Python engine of the execution calculators (no Django imports).

Public entry points (each returns a frozen dataclass with ``to_dict()`` for JSON, and raises only
:class:`CalculationError` for bad input):

* fees — :func:`calculate_execution_fee`, :func:`calculate_preservation_fee`, :func:`calculate_acceptance_fee`,
  :func:`calculate_payment_order_fee`, :func:`calculate_bankruptcy_fee`;
* :func:`calculate_delay_interest` — 迟延履行期间的债务利息 (法释〔2014〕8号, 法释〔2009〕6号 before 2014-08-01);
* :func:`calculate_loan_interest` — 借贷利息 with the 民间借贷 legality check;
* ``*_from_payload`` adapters taking the JSON request bodies of the web API;
* :class:`RateTable` — shipped PBOC benchmark rates and LPR quotes, extendable with database rows.

Conventions: Decimal throughout (50 significant digits), only final figures rounded to 分 with ROUND_HALF_UP;
day counts are date differences. Every result lists its ``conventions``, ``legal_basis``, ``notes`` and
``warnings`` so that the user sees how the figure was reached.
"""

from .delay_interest import (
    DOUBLED_DAILY_RATE,
    DelayInterestResult,
    DelaySegment,
    ExcludedPeriod,
    GeneralInterest,
    Instalment,
    Payment,
    PaymentAllocation,
    SegmentKind,
    TrancheSummary,
    calculate_delay_interest,
    delay_interest_from_payload,
)
from .errors import CalculationError
from .fees import (
    FeeAdjustment,
    FeeKind,
    FeeReduction,
    FeeResult,
    FeeStep,
    acceptance_fee_from_payload,
    calculate_acceptance_fee,
    calculate_bankruptcy_fee,
    calculate_execution_fee,
    calculate_payment_order_fee,
    calculate_preservation_fee,
    execution_fee_from_payload,
    preservation_fee_from_payload,
)
from .legal_texts import LegalBasis
from .loan_interest import (
    CapPeriod,
    LoanInterestResult,
    LoanRepaymentAllocation,
    LoanSegment,
    LoanTrack,
    Repayment,
    RepaymentOrder,
    calculate_loan_interest,
    legal_cap_periods,
    loan_interest_from_payload,
)
from .money import round_money, to_jsonable
from .rate_spec import AnnualRatePeriod, RateKind, RateSpec, rate_spec_from_payload
from .rates import (
    BenchmarkRow,
    BenchmarkTerm,
    LprQuote,
    LprTerm,
    RatePeriod,
    RateTable,
    lpr_quote_from_percent,
)

__all__ = [
    "DOUBLED_DAILY_RATE",
    "AnnualRatePeriod",
    "BenchmarkRow",
    "BenchmarkTerm",
    "CalculationError",
    "CapPeriod",
    "DelayInterestResult",
    "DelaySegment",
    "ExcludedPeriod",
    "FeeAdjustment",
    "FeeKind",
    "FeeReduction",
    "FeeResult",
    "FeeStep",
    "GeneralInterest",
    "Instalment",
    "LegalBasis",
    "LoanInterestResult",
    "LoanRepaymentAllocation",
    "LoanSegment",
    "LoanTrack",
    "LprQuote",
    "LprTerm",
    "Payment",
    "PaymentAllocation",
    "RateKind",
    "RatePeriod",
    "RateSpec",
    "RateTable",
    "Repayment",
    "RepaymentOrder",
    "SegmentKind",
    "TrancheSummary",
    "acceptance_fee_from_payload",
    "calculate_acceptance_fee",
    "calculate_bankruptcy_fee",
    "calculate_delay_interest",
    "calculate_execution_fee",
    "calculate_loan_interest",
    "calculate_payment_order_fee",
    "calculate_preservation_fee",
    "delay_interest_from_payload",
    "execution_fee_from_payload",
    "legal_cap_periods",
    "loan_interest_from_payload",
    "lpr_quote_from_percent",
    "preservation_fee_from_payload",
    "rate_spec_from_payload",
    "round_money",
    "to_jsonable",
]
