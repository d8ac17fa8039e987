"""The two documents parties can make online and what the law requires of them.

执行申请书 — 《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第18条: the application states the
reasons (理由), the matters (事项), the object of enforcement (执行标的) and what the applicant knows of the
respondent's property (财产状况), with the effective legal document, the applicant's identity proof and, for
an agent, the power of attorney attached.

执行异议书 — 民事诉讼法（2023）第二百三十六条 (objections of parties and interested persons to an
enforcement act) and 第二百三十八条 (objections of outsiders to the object of enforcement);
《最高人民法院关于人民法院办理执行异议和复议案件若干问题的规定》第一条: the application states the specific
request (请求), facts (事实) and reasons (理由), with the objector's identity proof, the evidence, and a service
address and contact details (送达地址和联系方式).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from zhixing.cases.services import parse_amount
from zhixing.lib.case_numbers import CaseNumberError, parse_case_number
from zhixing.lib.ids import IdentifierError, validate_mobile, validate_party_identifier


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: str = "text"  # text | textarea | date | select | checks | amount | phone | id | case_number
    required: bool = False
    max_chars: int = 100
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    group: str = ""


KINDS = (("natural", "自然人"), ("legal", "法人"), ("unincorporated", "非法人组织"))
GENDERS = (("男", "男"), ("女", "女"))


def _person(prefix: str, title: str, *, id_required: bool) -> list[FieldSpec]:
    g = title
    return [
        FieldSpec(f"{prefix}_kind", "类型", "select", True, choices=KINDS, group=g),
        FieldSpec(f"{prefix}_name", "姓名或名称", required=True, max_chars=100, group=g),
        FieldSpec(f"{prefix}_gender", "性别（自然人）", "select", choices=GENDERS, group=g),
        FieldSpec(f"{prefix}_birth", "出生日期（自然人）", "date", group=g),
        FieldSpec(f"{prefix}_ethnicity", "民族（自然人）", max_chars=20, group=g),
        FieldSpec(
            f"{prefix}_id",
            "公民身份号码或统一社会信用代码",
            "id",
            id_required,
            max_chars=18,
            help="自然人填写18位身份证号码；单位填写统一社会信用代码或组织机构代码。",
            group=g,
        ),
        FieldSpec(f"{prefix}_work", "工作单位及职务（自然人）", max_chars=100, group=g),
        FieldSpec(f"{prefix}_representative", "法定代表人或主要负责人及职务（单位）", max_chars=60, group=g),
        FieldSpec(f"{prefix}_address", "住所地", required=True, max_chars=200, group=g),
        FieldSpec(f"{prefix}_phone", "联系电话", "phone", prefix != "respondent", max_chars=20, group=g),
    ]


APPLICATION_ATTACHMENTS = (
    ("basis", "生效法律文书副本"),
    ("identity", "申请执行人身份证明"),
    ("proxy", "授权委托书及代理人身份证明（委托代理时）"),
    ("succession", "继承或者承受权利的证明文件（继承人、权利承受人申请时）"),
    ("property", "被执行人财产线索材料"),
)
OBJECTION_ATTACHMENTS = (
    ("identity", "异议人身份证明"),
    ("evidence", "相关证据材料"),
    ("proxy", "授权委托书及代理人身份证明（委托代理时）"),
)
OBJECTOR_ROLES = (
    ("party", "当事人（对执行行为提出异议，民事诉讼法第二百三十六条）"),
    ("interested", "利害关系人（对执行行为提出异议，民事诉讼法第二百三十六条）"),
    ("outsider", "案外人（对执行标的提出异议，民事诉讼法第二百三十八条）"),
)

SPECS: dict[str, list[FieldSpec]] = {
    "application": [
        *_person("applicant", "申请执行人", id_required=True),
        *_person("respondent", "被执行人", id_required=False),
        FieldSpec(
            "basis_issuer",
            "执行依据作出机关",
            required=True,
            max_chars=100,
            help="如 济南市历下区人民法院",
            group="执行依据",
        ),
        FieldSpec(
            "basis_number",
            "执行依据文号",
            required=True,
            max_chars=60,
            help="如（2024）鲁0102民初123号",
            group="执行依据",
        ),
        FieldSpec(
            "basis_title",
            "执行依据文书名称",
            required=True,
            max_chars=40,
            help="如 民事判决书、民事调解书、仲裁裁决书",
            group="执行依据",
        ),
        FieldSpec("basis_effective_on", "生效日期", "date", True, group="执行依据"),
        FieldSpec(
            "claims",
            "请求事项（申请执行的事项）",
            "textarea",
            True,
            500,
            "如：1. 强制被执行人支付货款人民币100000元及利息；2. 被执行人负担本案执行费用。",
            group="请求事项",
        ),
        FieldSpec(
            "amount", "执行标的金额（元）", "amount", False, 20, "可不填；填写时精确到分。", group="请求事项"
        ),
        FieldSpec(
            "reasons",
            "事实与理由",
            "textarea",
            True,
            1000,
            "写明执行依据确定的义务及被执行人未履行的情况。",
            group="事实与理由",
        ),
        FieldSpec(
            "property",
            "被执行人财产状况（财产线索）",
            "textarea",
            True,
            500,
            "写明所了解的银行账户、房产、车辆、股权等；确不了解的，请填写“暂不了解”。",
            group="财产线索",
        ),
        FieldSpec(
            "court", "致送法院", required=True, max_chars=60, help="如 济南市历下区人民法院", group="其他"
        ),
        FieldSpec("attachments", "附件清单", "checks", True, choices=APPLICATION_ATTACHMENTS, group="其他"),
        FieldSpec("other_attachments", "其他附件", max_chars=200, group="其他"),
        FieldSpec("signed_on", "申请日期", "date", True, group="其他"),
    ],
    "objection": [
        *_person("objector", "异议人", id_required=True),
        FieldSpec("objector_role", "异议人身份", "select", True, choices=OBJECTOR_ROLES, group="案件信息"),
        FieldSpec(
            "case_number", "执行案号", "case_number", True, 40, "如（2024）鲁0102执123号", group="案件信息"
        ),
        FieldSpec("applicant_name", "申请执行人", max_chars=100, group="案件信息"),
        FieldSpec("respondent_name", "被执行人", max_chars=100, group="案件信息"),
        FieldSpec(
            "requests",
            "异议请求",
            "textarea",
            True,
            500,
            "如：请求撤销（2024）鲁0102执123号执行裁定；请求中止对某房产的执行。",
            group="请求、事实与理由",
        ),
        FieldSpec("facts", "事实", "textarea", True, 1000, group="请求、事实与理由"),
        FieldSpec("reasons", "理由", "textarea", True, 1000, group="请求、事实与理由"),
        FieldSpec("service_address", "送达地址", required=True, max_chars=200, group="送达地址和联系方式"),
        FieldSpec("service_recipient", "收件人", required=True, max_chars=50, group="送达地址和联系方式"),
        FieldSpec("service_phone", "联系电话", "phone", True, 20, group="送达地址和联系方式"),
        FieldSpec("court", "致送法院", required=True, max_chars=60, group="其他"),
        FieldSpec("attachments", "附件清单", "checks", True, choices=OBJECTION_ATTACHMENTS, group="其他"),
        FieldSpec("evidence", "证据材料清单", "textarea", False, 500, group="其他"),
        FieldSpec("signed_on", "异议日期", "date", True, group="其他"),
    ],
}

REQUIRED_ATTACHMENTS = {"application": {"basis", "identity"}, "objection": {"identity"}}
TITLES = {"application": "执行申请书", "objection": "执行异议书"}


def groups(kind: str) -> list[tuple[str, list[FieldSpec]]]:
    out: list[tuple[str, list[FieldSpec]]] = []
    for spec in SPECS[kind]:
        if not out or out[-1][0] != spec.group:
            out.append((spec.group, []))
        out[-1][1].append(spec)
    return out


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ""
    return unicodedata.normalize("NFC", str(value or "")).strip()


def validate_document(kind: str, data: dict[str, Any], *, strict: bool) -> dict[str, Any]:
    """Return cleaned data; raise ValidationError({field: [中文]}). Drafts (strict=False) only check lengths
    and formats of what is filled in; a complete document (strict=True) must have every required item."""
    if kind not in SPECS:
        raise ValidationError({"kind": ["文书类型不正确。"]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for spec in SPECS[kind]:
        raw = data.get(spec.name)
        if spec.widget == "checks":
            values = raw if isinstance(raw, list) else ([raw] if raw else [])
            allowed = {c for c, _ in spec.choices}
            picked = [v for v in (str(x) for x in values) if v in allowed]
            if len(picked) != len(values):
                errors[spec.name] = ["附件选项不正确。"]
            cleaned[spec.name] = sorted(set(picked), key=[c for c, _ in spec.choices].index)
            missing = REQUIRED_ATTACHMENTS[kind] - set(picked)
            if strict and missing:
                labels = "、".join(label for c, label in spec.choices if c in missing)
                errors[spec.name] = [f"请确认已附：{labels}。"]
            continue
        value = _text(raw)
        if not value:
            if strict and spec.required:
                errors[spec.name] = [f"请填写{spec.label}。"]
            cleaned[spec.name] = ""
            continue
        if len(value) > spec.max_chars:
            errors[spec.name] = [f"{spec.label}不能超过{spec.max_chars}个字。"]
        elif spec.widget == "select" and value not in {c for c, _ in spec.choices}:
            errors[spec.name] = [f"请选择{spec.label}。"]
        elif spec.widget == "date":
            try:
                day = dt.date.fromisoformat(value)
                if day > dt.date.today() + dt.timedelta(days=1):
                    errors[spec.name] = [f"{spec.label}不能晚于今天。"]
                value = day.isoformat()
            except ValueError:
                errors[spec.name] = [f"{spec.label}格式不正确，应为 YYYY-MM-DD。"]
        elif spec.widget == "amount":
            try:
                amount = parse_amount(value, field=spec.name)
                value = f"{amount:.2f}" if amount is not None else ""
            except ValidationError as exc:
                errors.update(exc.message_dict)
        elif spec.widget == "phone":
            try:
                value = validate_mobile(value)
            except IdentifierError:
                digits = value.replace("-", "").replace(" ", "")
                if not digits.isdigit() or not 7 <= len(digits) <= 13:
                    errors[spec.name] = ["联系电话格式不正确：请填写手机号码或带区号的固定电话。"]
        elif spec.widget == "case_number":
            try:
                value = str(parse_case_number(value))
            except CaseNumberError as exc:
                errors[spec.name] = [str(exc)]
        elif spec.widget == "id":
            prefix = spec.name.removesuffix("_id")
            natural = _text(data.get(f"{prefix}_kind")) in ("", "natural")
            try:
                value = validate_party_identifier(value, natural_person=natural).number
            except IdentifierError as exc:
                errors[spec.name] = [str(exc)]
        cleaned[spec.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- The text of the document, shared by the HTML preview, DOCX and PDF ------------------------------------------


@dataclass(frozen=True)
class Block:
    style: str  # title | para | plain (no indent) | heading | right | item
    text: str


def _cn_date(value: str) -> str:
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.year}年{d.month}月{d.day}日"


def _person_line(role: str, prefix: str, d: dict[str, Any]) -> list[Block]:
    name = d.get(f"{prefix}_name", "")
    if d.get(f"{prefix}_kind", "natural") == "natural":
        bits = [name]
        if d.get(f"{prefix}_gender"):
            bits.append(d[f"{prefix}_gender"])
        if d.get(f"{prefix}_birth"):
            bits.append(f"{_cn_date(d[f'{prefix}_birth'])}出生")
        if d.get(f"{prefix}_ethnicity"):
            bits.append(d[f"{prefix}_ethnicity"])
        if d.get(f"{prefix}_work"):
            bits.append(d[f"{prefix}_work"])
        if d.get(f"{prefix}_address"):
            bits.append(f"住{d[f'{prefix}_address']}")
        if d.get(f"{prefix}_id"):
            bits.append(f"公民身份号码{d[f'{prefix}_id']}")
        if d.get(f"{prefix}_phone"):
            bits.append(f"联系电话{d[f'{prefix}_phone']}")
        return [Block("para", f"{role}：{'，'.join(b for b in bits if b)}。")]
    bits = [name]
    if d.get(f"{prefix}_address"):
        bits.append(f"住所地{d[f'{prefix}_address']}")
    if d.get(f"{prefix}_id"):
        bits.append(f"统一社会信用代码{d[f'{prefix}_id']}")
    if d.get(f"{prefix}_phone"):
        bits.append(f"联系电话{d[f'{prefix}_phone']}")
    out = [Block("para", f"{role}：{'，'.join(b for b in bits if b)}。")]
    if d.get(f"{prefix}_representative"):
        out.append(Block("para", f"法定代表人（主要负责人）：{d[f'{prefix}_representative']}。"))
    return out


def _lines(text: str) -> list[Block]:
    return [Block("para", line.strip()) for line in text.splitlines() if line.strip()]


def masked(d: dict[str, Any]) -> dict[str, Any]:
    """For on-screen previews: resident ID numbers shown masked (the downloaded files keep them whole,
    because the court needs them)."""
    from zhixing.lib.masking import mask_resident_id

    out = dict(d)
    for key, value in d.items():
        if key.endswith("_id") and value and d.get(key.removesuffix("_id") + "_kind", "natural") == "natural":
            out[key] = mask_resident_id(str(value))
    return out


def document_blocks(kind: str, d: dict[str, Any]) -> list[Block]:
    blocks = [Block("title", TITLES[kind])]
    if kind == "application":
        blocks += _person_line("申请执行人", "applicant", d)
        blocks += _person_line("被执行人", "respondent", d)
        basis = f"{d.get('basis_issuer', '')}{d.get('basis_number', '')}{d.get('basis_title', '')}"
        blocks.append(
            Block("para", f"执行依据：{basis}（{_cn_date(d.get('basis_effective_on', ''))}生效）。")
        )
        blocks.append(Block("heading", "请求事项"))
        blocks += _lines(d.get("claims", ""))
        if d.get("amount"):
            blocks.append(Block("para", f"申请执行标的金额：人民币{d['amount']}元。"))
        blocks.append(Block("heading", "事实与理由"))
        blocks += _lines(d.get("reasons", ""))
        blocks.append(Block("heading", "被执行人财产状况"))
        blocks += _lines(d.get("property", ""))
        blocks.append(
            Block("para", "综上，被执行人至今未履行生效法律文书确定的义务，特依法向贵院申请强制执行。")
        )
        signer_role, signer = "申请执行人", d.get("applicant_name", "")
        choices = dict(APPLICATION_ATTACHMENTS)
    else:
        blocks += _person_line("异议人", "objector", d)
        role = dict(OBJECTOR_ROLES).get(d.get("objector_role", ""), "")
        blocks.append(Block("para", f"异议人身份：{role.split('（')[0]}。"))
        case_bits = [f"执行案号：{d.get('case_number', '')}"]
        if d.get("applicant_name"):
            case_bits.append(f"申请执行人：{d['applicant_name']}")
        if d.get("respondent_name"):
            case_bits.append(f"被执行人：{d['respondent_name']}")
        blocks.append(Block("para", "；".join(case_bits) + "。"))
        blocks.append(Block("heading", "异议请求"))
        blocks += _lines(d.get("requests", ""))
        blocks.append(Block("heading", "事实"))
        blocks += _lines(d.get("facts", ""))
        blocks.append(Block("heading", "理由"))
        blocks += _lines(d.get("reasons", ""))
        article = "第二百三十八条" if d.get("objector_role") == "outsider" else "第二百三十六条"
        blocks.append(
            Block("para", f"为此，根据《中华人民共和国民事诉讼法》{article}的规定，特提出异议，请依法审查。")
        )
        blocks.append(Block("heading", "送达地址和联系方式"))
        blocks.append(
            Block(
                "para",
                f"送达地址：{d.get('service_address', '')}；收件人：{d.get('service_recipient', '')}；"
                f"联系电话：{d.get('service_phone', '')}。",
            )
        )
        signer_role, signer = "异议人", d.get("objector_name", "")
        choices = dict(OBJECTION_ATTACHMENTS)
    blocks.append(Block("para", "此致"))
    blocks.append(Block("plain", d.get("court", "")))
    blocks.append(Block("right", f"{signer_role}：{signer}（签名或盖章）"))
    blocks.append(Block("right", _cn_date(d.get("signed_on", ""))))
    items = [choices[c] for c in d.get("attachments", []) if c in choices]
    if d.get("other_attachments"):
        items.append(d["other_attachments"])
    if kind == "objection" and d.get("evidence"):
        items += [f"证据：{line.strip()}" for line in d["evidence"].splitlines() if line.strip()]
    if items:
        blocks.append(Block("heading", "附："))
        blocks += [Block("item", f"{i}. {text}") for i, text in enumerate(items, 1)]
    return blocks
