"""The built-in template library: wording written for this project in the formal style of court documents.

Each entry is the first version of a system template (``DocTemplate.court`` empty); a court edits a template in
the workbench, which makes the court's own copy with a new version. Bodies are Django templates producing the
restricted HTML described in ``render.py``; every variable a body uses is a declared field, pre-filled from the
case where ``source`` names a case value (see ``services.case_context``).

Legal bases are cited to 《中华人民共和国民事诉讼法》(2023年修正), 《最高人民法院关于适用〈中华人民共和国民事诉讼法〉
的解释》(2022年修正), 《最高人民法院关于限制被执行人高消费及有关消费的若干规定》(2015年修正),
《最高人民法院关于公布失信被执行人名单信息的若干规定》(2017年修正), 《最高人民法院关于民事执行中财产调查若干问题的
规定》(2020年修正) and 《最高人民法院关于人民法院民事执行中拍卖、变卖财产的规定》(2020年修正).
"""

from __future__ import annotations

from typing import Any

MPL = "《中华人民共和国民事诉讼法》"
INTERP = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
LIMIT = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"
DISHONEST = "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
INVESTIGATE = "《最高人民法院关于民事执行中财产调查若干问题的规定》"
AUCTION = "《最高人民法院关于人民法院民事执行中拍卖、变卖财产的规定》"


def F(name: str, label: str, kind: str = "text", source: str = "") -> dict[str, str]:
    return {"name": name, "label": label, "kind": kind, "source": source or name}


HEAD = [F("case_number", "案号"), F("court_name", "法院名称")]
TAIL = [F("date", "落款日期"), F("judge", "承办人"), F("court_phone", "联系电话")]
PARTIES = F("parties", "当事人信息", "textarea")
APPLICANT = F("applicant", "申请执行人")
RESPONDENT = F("respondent", "被执行人")
BASIS = F("basis", "执行依据")
CAUSE = F("cause", "案由")

_HEADER = '<h1 class="court">{{ court_name }}</h1>\n<h2>%s</h2>\n<p class="no">{{ case_number }}</p>\n'
_SIGN = '<p class="sign">{{ court_name }}</p>\n<p class="date">{{ date }}<span id="seal"></span></p>\n'
_CONTACT = '<p class="note">承办人：{{ judge }}　联系电话：{{ court_phone }}</p>\n'
_RULING_SIGN = (
    '<p class="sign">审判长　{{ presiding }}</p>\n<p class="sign">审判员　{{ judge_a }}</p>\n'
    '<p class="sign">审判员　{{ judge_b }}</p>\n<p class="date">{{ date }}<span id="seal"></span></p>\n'
    '<p class="sign">书记员　{{ clerk }}</p>\n'
)
RULING_PANEL = [
    F("presiding", "审判长"),
    F("judge_a", "审判员", source="judge"),
    F("judge_b", "审判员"),
    F("clerk", "书记员"),
]


def court(
    code: str,
    name: str,
    *,
    matters: list[str],
    approval: str = "",
    fields: list[dict[str, str]],
    body: str,
    basis: str,
    title: str = "",
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": "court",
        "category": "",
        "matter_codes": ",".join(matters),
        "approval_chain": approval,
        "fields": HEAD + fields + TAIL,
        "body": (_HEADER % (title or name)) + body,
        "legal_basis": basis,
    }


def party(
    code: str, name: str, *, category: str, fields: list[dict[str, str]], body: str, basis: str
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": "party",
        "category": category,
        "matter_codes": "",
        "approval_chain": "",
        "fields": fields,
        "body": f'<h2 class="big">{name}</h2>\n' + body,
        "legal_basis": basis,
    }


COURT_TEMPLATES: list[dict[str, Any]] = [
    court(
        "notice",
        "执行通知书",
        matters=["notice"],
        fields=[
            RESPONDENT,
            APPLICANT,
            CAUSE,
            BASIS,
            F("filed_on", "立案日期"),
            F("obligation", "应履行的义务", "textarea"),
            F("days", "履行期限（日）"),
            F("fee", "申请执行费（元）"),
        ],
        basis=f"{MPL}第二百五十一条、第二百五十二条、第二百六十四条",
        body=(
            '<p class="party">{{ respondent }}：</p>\n'
            "<p>申请执行人{{ applicant }}与你（单位）{{ cause }}纠纷一案，{{ basis }}已经发生法律效力。申请执行人于{{ filed_on }}向本院申请强制执行，本院已依法立案。依照"
            + MPL
            + "第二百五十一条、第二百五十二条、第二百六十四条的规定，责令你（单位）自收到本通知之日起{{ days }}日内履行下列义务：</p>\n"
            "<p>一、{{ obligation }}；</p>\n<p>二、加倍支付迟延履行期间的债务利息或者支付迟延履行金；</p>\n<p>三、负担申请执行费{{ fee }}元。</p>\n"
            "<p>逾期不履行的，本院将依法强制执行。你（单位）应当自收到本通知之日起如实向本院报告当前以及收到执行通知之日前一年的财产情况；拒绝报告或者虚假报告的，本院将根据情节轻重对你（单位）或者你单位的主要负责人、直接责任人员予以罚款、拘留，并依照"
            + DISHONEST
            + "将你（单位）纳入失信被执行人名单，依照"
            + LIMIT
            + "限制高消费及非生活和工作必需的消费行为。</p>\n"
            + _SIGN
            + _CONTACT
        ),
    ),
    court(
        "report_property",
        "报告财产令",
        matters=["notice"],
        fields=[RESPONDENT, F("days", "报告期限（日）"), F("period_start", "报告期间起算日")],
        basis=f"{MPL}第二百五十二条；{INVESTIGATE}第三条至第十条",
        body=(
            '<p class="party">{{ respondent }}：</p>\n'
            "<p>本院执行的{{ case_number }}案件，你（单位）未按执行通知履行生效法律文书确定的义务。依照"
            + MPL
            + "第二百五十二条，"
            + INVESTIGATE
            + "第三条、第四条、第五条的规定，责令你（单位）自收到本令之日起{{ days }}日内，如实向本院书面报告当前以及{{ period_start }}以来的下列财产情况：</p>\n"
            "<p>一、收入、银行存款、现金、理财产品、有价证券；</p>\n<p>二、土地使用权、房屋等不动产；</p>\n<p>三、交通运输工具、机器设备、产品、原材料等动产；</p>\n"
            "<p>四、债权、股权、投资权益、基金份额、信托受益权、知识产权等财产性权利；</p>\n<p>五、其他应当报告的财产。</p>\n"
            "<p>财产已出租、已设立担保物权等权利负担，或者存在共有、权属争议等情形的，应当一并报告；报告期间内财产发生转让、灭失等变动的，应当说明原因。报告财产后财产状况发生变动，影响申请执行人债权实现的，应当自财产变动之日起十日内向本院补充报告。</p>\n"
            "<p>你（单位）拒绝报告、虚假报告或者无正当理由逾期报告财产情况的，本院将根据情节轻重予以罚款、拘留，纳入失信被执行人名单；构成犯罪的，依法追究刑事责任。</p>\n"
            + _SIGN
            + _CONTACT
        ),
    ),
    court(
        "ruling_seal_up",
        "执行裁定书（查封、冻结、扣押）",
        title="执行裁定书",
        matters=["seal_up", "freeze", "distrain"],
        approval="team_lead",
        fields=[
            PARTIES,
            APPLICANT,
            RESPONDENT,
            BASIS,
            F("amount", "执行标的（元）"),
            F("measure", "措施（查封/冻结/扣押）"),
            F("property", "财产", "textarea"),
            F("term", "期限"),
        ],
        basis=f"{MPL}第一百五十七条第一款第十一项、第二百五十三条、第二百五十四条、第二百五十五条",
        body=(
            '<p class="party">{{ parties|linebreaksbr }}</p>\n'
            "<p>本院在执行申请执行人{{ applicant }}与被执行人{{ respondent }}一案中，依据{{ basis }}，被执行人应当履行给付义务，执行标的为人民币{{ amount }}元。被执行人至今未按执行通知履行法律文书确定的义务。依照"
            + MPL
            + "第一百五十七条第一款第十一项、第二百五十三条、第二百五十四条、第二百五十五条的规定，裁定如下：</p>\n"
            "<p>{{ measure }}被执行人{{ respondent }}名下的下列财产：{{ property }}。{{ measure }}期限为{{ term }}。</p>\n"
            "<p>本裁定立即执行。</p>\n" + _RULING_SIGN
        ),
    ),
    court(
        "ruling_auction_confirm",
        "执行裁定书（拍卖成交）",
        title="执行裁定书",
        matters=["closing"],
        approval="team_lead",
        fields=[
            PARTIES,
            APPLICANT,
            RESPONDENT,
            F("property", "拍卖财产", "textarea"),
            F("auction_date", "拍卖日期"),
            F("platform", "拍卖平台"),
            F("buyer", "买受人"),
            F("price", "成交价（元）"),
        ],
        basis=f"{MPL}第二百五十八条；{AUCTION}第二十条",
        body=(
            '<p class="party">{{ parties|linebreaksbr }}</p>\n'
            "<p>本院在执行申请执行人{{ applicant }}与被执行人{{ respondent }}一案中，依法查封了被执行人所有的{{ property }}，并于{{ auction_date }}在{{ platform }}依法公开拍卖。买受人{{ buyer }}以最高应价人民币{{ price }}元竞得，并已全额交付拍卖价款。依照"
            + MPL
            + "第二百五十八条，"
            + AUCTION
            + "第二十条的规定，裁定如下：</p>\n"
            "<p>一、被执行人{{ respondent }}所有的{{ property }}归买受人{{ buyer }}所有，所有权自本裁定送达买受人时起转移；</p>\n"
            "<p>二、买受人{{ buyer }}可持本裁定书到登记机构办理相关产权过户登记手续；</p>\n<p>三、解除对上述财产的查封。</p>\n"
            "<p>本裁定送达后即发生法律效力。</p>\n" + _RULING_SIGN
        ),
    ),
    court(
        "ruling_in_kind",
        "执行裁定书（以物抵债）",
        title="执行裁定书",
        matters=["closing"],
        approval="team_lead",
        fields=[
            PARTIES,
            APPLICANT,
            RESPONDENT,
            F("property", "抵债财产", "textarea"),
            F("price", "抵债价款（元）"),
        ],
        basis=f"{MPL}第二百五十八条；{AUCTION}第十六条、第二十条；{INTERP}第四百八十九条、第四百九十条",
        body=(
            '<p class="party">{{ parties|linebreaksbr }}</p>\n'
            "<p>本院在执行申请执行人{{ applicant }}与被执行人{{ respondent }}一案中，被执行人所有的{{ property }}经依法拍卖、变卖未能成交。申请执行人申请以该财产抵偿债务，并同意按人民币{{ price }}元的价格接受。依照"
            + MPL
            + "第二百五十八条，"
            + INTERP
            + "第四百八十九条、第四百九十条，"
            + AUCTION
            + "第十六条、第二十条的规定，裁定如下：</p>\n"
            "<p>一、将被执行人{{ respondent }}所有的{{ property }}作价人民币{{ price }}元，交付申请执行人{{ applicant }}抵偿相应债务，所有权自本裁定送达申请执行人时起转移；</p>\n"
            "<p>二、申请执行人可持本裁定书到登记机构办理相关产权过户登记手续。</p>\n<p>本裁定送达后即发生法律效力。</p>\n"
            + _RULING_SIGN
        ),
    ),
    court(
        "ruling_terminate_round",
        "执行裁定书（终结本次执行程序）",
        title="执行裁定书",
        matters=["closing"],
        approval="team_lead,president",
        fields=[
            PARTIES,
            APPLICANT,
            RESPONDENT,
            BASIS,
            F("amount", "执行标的（元）"),
            F("paid", "已执行到位（元）"),
            F("measures", "已采取的执行措施", "textarea"),
        ],
        basis=f"{INTERP}第五百一十七条",
        body=(
            '<p class="party">{{ parties|linebreaksbr }}</p>\n'
            "<p>本院在执行申请执行人{{ applicant }}与被执行人{{ respondent }}一案中，依据{{ basis }}，被执行人应当履行给付人民币{{ amount }}元的义务。执行中，本院依法向被执行人发出执行通知书、报告财产令，并{{ measures }}。经穷尽财产调查措施，未发现被执行人有其他可供执行的财产，本案已执行到位人民币{{ paid }}元。申请执行人已签字确认（或经本院合议庭审查核实）。</p>\n"
            "<p>依照" + INTERP + "第五百一十七条的规定，裁定如下：</p>\n"
            "<p>终结本次执行程序。</p>\n"
            "<p>申请执行人发现被执行人有可供执行财产的，可以再次申请执行。再次申请不受申请执行时效期间的限制。终结本次执行程序后，被执行人应当继续履行生效法律文书确定的义务，被执行人的限制消费措施继续有效。</p>\n"
            "<p>本裁定送达后即发生法律效力。</p>\n" + _RULING_SIGN
        ),
    ),
    court(
        "ruling_terminate",
        "执行裁定书（终结执行）",
        title="执行裁定书",
        matters=["closing"],
        approval="team_lead",
        fields=[
            PARTIES,
            APPLICANT,
            RESPONDENT,
            F("reason", "终结执行的事由", "textarea"),
            F("clause", "适用项（如第一项）"),
        ],
        basis=f"{MPL}第二百六十八条",
        body=(
            '<p class="party">{{ parties|linebreaksbr }}</p>\n'
            "<p>本院在执行申请执行人{{ applicant }}与被执行人{{ respondent }}一案中，{{ reason }}。依照"
            + MPL
            + "第二百六十八条{{ clause }}的规定，裁定如下：</p>\n"
            "<p>终结执行。</p>\n<p>本裁定送达后立即生效。</p>\n" + _RULING_SIGN
        ),
    ),
    court(
        "assist_notice",
        "协助执行通知书",
        matters=["seal_up", "freeze", "distrain", "dishonest"],
        fields=[
            F("assistant", "协助执行单位"),
            RESPONDENT,
            F("ruling_number", "所依据的裁定书文号"),
            F("assist_items", "协助执行事项", "textarea"),
        ],
        basis=f"{MPL}第二百五十三条、第二百五十四条、第二百五十五条、第二百六十二条",
        body=(
            '<p class="party">{{ assistant }}：</p>\n'
            "<p>关于本院执行的{{ case_number }}被执行人{{ respondent }}一案，本院作出的{{ ruling_number }}执行裁定书已经发生法律效力。依照"
            + MPL
            + "第二百五十三条、第二百五十四条、第二百五十五条、第二百六十二条的规定，请你单位协助执行下列事项：</p>\n"
            "<p>{{ assist_items }}</p>\n"
            "<p>有义务协助执行的单位拒不协助的，本院将依照"
            + MPL
            + "第一百一十七条的规定予以处理。</p>\n"
            + _SIGN
            + _CONTACT
        ),
    ),
    court(
        "limit_consumption",
        "限制消费令",
        matters=["dishonest"],
        approval="president",
        fields=[
            RESPONDENT,
            F("respondent_id", "被执行人证件号码"),
            F("representative", "法定代表人/主要负责人（单位被执行人）"),
            APPLICANT,
            BASIS,
        ],
        basis=f"{MPL}第二百六十六条；{LIMIT}第一条、第三条、第五条",
        body=(
            '<p class="party">被限制消费人：{{ respondent }}，证件号码：{{ respondent_id }}。</p>\n'
            '<p class="party">法定代表人或主要负责人：{{ representative }}。</p>\n'
            "<p>本院在执行申请执行人{{ applicant }}申请执行{{ basis }}一案中，被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务，依照"
            + MPL
            + "第二百六十六条，"
            + LIMIT
            + "第一条、第三条、第五条的规定，对被执行人采取限制消费措施，限制其不得实施以下高消费及非生活和工作必需的消费行为：</p>\n"
            "<p>（一）乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位；</p>\n"
            "<p>（二）在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费；</p>\n"
            "<p>（三）购买不动产或者新建、扩建、高档装修房屋；</p>\n<p>（四）租赁高档写字楼、宾馆、公寓等场所办公；</p>\n"
            "<p>（五）购买非经营必需车辆；</p>\n<p>（六）旅游、度假；</p>\n<p>（七）子女就读高收费私立学校；</p>\n"
            "<p>（八）支付高额保费购买保险理财产品；</p>\n<p>（九）乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为。</p>\n"
            "<p>被执行人为单位的，被采取限制消费措施后，被执行人及其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人不得实施前款规定的行为。因私消费以个人财产实施前款规定行为的，可以向本院提出申请，经本院审查属实的，予以准许。</p>\n"
            "<p>被执行人违反限制消费令进行消费的行为属于拒不履行人民法院已经发生法律效力的判决、裁定的行为，经查证属实的，依照"
            + MPL
            + "第一百一十四条的规定，予以拘留、罚款；情节严重，构成犯罪的，追究其刑事责任。</p>\n"
            + _SIGN
        ),
    ),
    court(
        "dishonest_decision",
        "纳入失信被执行人名单决定书",
        title="决定书",
        matters=["dishonest"],
        approval="president",
        fields=[
            PARTIES,
            RESPONDENT,
            BASIS,
            F("clause", "失信情形（如第一项）", source="clause_dishonest"),
            F("facts", "失信事实", "textarea"),
            F("term", "纳入期限", source="term_dishonest"),
        ],
        basis=f"{MPL}第二百六十六条；{DISHONEST}第一条、第二条、第六条",
        body=(
            '<p class="party">{{ parties|linebreaksbr }}</p>\n'
            "<p>本院在执行{{ case_number }}案件中，被执行人{{ respondent }}未履行{{ basis }}确定的义务，{{ facts }}。依照"
            + MPL
            + "第二百六十六条，"
            + DISHONEST
            + "第一条{{ clause }}、第二条、第六条的规定，决定如下：</p>\n"
            "<p>将被执行人{{ respondent }}纳入失信被执行人名单，纳入期限为{{ term }}。</p>\n"
            "<p>被纳入失信被执行人名单的，本院将通过最高人民法院失信被执行人名单库统一向社会公布，并向政府相关部门、金融监管机构、金融机构、承担行政职能的事业单位及行业协会等通报，依法对其进行信用惩戒。纳入失信被执行人名单的，人民法院同时对其采取限制消费措施。</p>\n"
            "<p>被执行人认为本决定有错误的，可以依照"
            + DISHONEST
            + "第十一条的规定向本院申请纠正。</p>\n"
            + _SIGN
        ),
    ),
    court(
        "fine_decision",
        "罚款决定书",
        matters=["fine"],
        approval="president",
        fields=[
            F("subject", "被罚款人（姓名、身份情况）", "textarea"),
            F("subject_name", "被罚款人姓名"),
            F("facts", "妨害执行的事实", "textarea"),
            F("clause", "适用项（如第一款第六项）", source="clause_114"),
            F("fine", "罚款金额（元）"),
            F("pay_days", "缴纳期限（日）"),
        ],
        basis=f"{MPL}第一百一十四条、第一百一十八条、第一百一十九条",
        body=(
            '<p class="party">被罚款人：{{ subject|linebreaksbr }}</p>\n'
            "<p>本院在执行{{ case_number }}案件中查明：{{ facts }}。</p>\n"
            "<p>本院认为，被罚款人的上述行为妨害了民事执行活动。经本院院长批准，依照"
            + MPL
            + "第一百一十四条{{ clause }}、第一百一十八条、第一百一十九条的规定，决定如下：</p>\n"
            "<p>对{{ subject_name }}罚款人民币{{ fine }}元，限于收到本决定书之日起{{ pay_days }}日内缴纳。</p>\n"
            "<p>如不服本决定，可以在收到决定书之日起三日内，口头或者书面向上一级人民法院申请复议一次。复议期间，不停止本决定的执行。</p>\n"
            + _SIGN
        ),
    ),
    court(
        "detention_decision",
        "拘留决定书",
        matters=["detention"],
        approval="president",
        fields=[
            F("subject", "被拘留人（姓名、身份情况）", "textarea"),
            F("subject_name", "被拘留人姓名"),
            F("facts", "妨害执行的事实", "textarea"),
            F("clause", "适用项（如第一款第六项）", source="clause_114"),
            F("days", "拘留天数（十五日以下）"),
            F("jail", "看守场所"),
        ],
        basis=f"{MPL}第一百一十四条、第一百一十八条、第一百一十九条",
        body=(
            '<p class="party">被拘留人：{{ subject|linebreaksbr }}</p>\n'
            "<p>本院在执行{{ case_number }}案件中查明：{{ facts }}。</p>\n"
            "<p>本院认为，被拘留人的上述行为妨害了民事执行活动。经本院院长批准，依照"
            + MPL
            + "第一百一十四条{{ clause }}、第一百一十八条、第一百一十九条的规定，决定如下：</p>\n"
            "<p>对{{ subject_name }}拘留{{ days }}日，由{{ jail }}执行。</p>\n"
            "<p>被拘留人在拘留期间承认并改正错误的，本院可以决定提前解除拘留。如不服本决定，可以在收到决定书之日起三日内，口头或者书面向上一级人民法院申请复议一次。复议期间，不停止本决定的执行。</p>\n"
            + _SIGN
        ),
    ),
    court(
        "summons",
        "传票",
        matters=["summons_compel", "notice"],
        fields=[
            CAUSE,
            F("summoned", "被传唤人"),
            F("summoned_address", "工作单位或者地址"),
            F("reason", "传唤事由"),
            F("time", "应到时间"),
            F("place", "应到处所"),
        ],
        basis=f"{INTERP}第四百八十二条",
        body=(
            '<p class="party">案由：{{ cause }}</p>\n'
            '<p class="party">被传唤人：{{ summoned }}</p>\n<p class="party">工作单位或者地址：{{ summoned_address }}</p>\n'
            '<p class="party">传唤事由：{{ reason }}</p>\n<p class="party">应到时间：{{ time }}</p>\n<p class="party">应到处所：{{ place }}</p>\n'
            "<p>被传唤人应当按时到达上述处所，接受调查询问，并携带身份证件及与履行义务有关的材料。经依法传唤无正当理由拒不到场的，本院可以依照"
            + INTERP
            + "第四百八十二条的规定予以拘传。</p>\n"
            + _SIGN
            + _CONTACT
        ),
    ),
    court(
        "compel_warrant",
        "拘传票",
        matters=["summons_compel"],
        approval="president",
        fields=[
            F("subject", "被拘传人（姓名、身份情况）", "textarea"),
            F("summons_times", "已传唤情况"),
            F("place", "拘传到达处所"),
            F("officer", "执行拘传的司法警察"),
        ],
        basis=f"{MPL}第一百一十二条、第一百一十九条；{INTERP}第四百八十二条",
        body=(
            '<p class="party">被拘传人：{{ subject|linebreaksbr }}</p>\n'
            "<p>本院执行的{{ case_number }}案件，被拘传人系必须接受调查询问的人员，{{ summons_times }}，无正当理由拒不到场。经本院院长批准，依照"
            + INTERP
            + "第四百八十二条，"
            + MPL
            + "第一百一十二条、第一百一十九条的规定，对被拘传人予以拘传，拘传至{{ place }}。</p>\n"
            "<p>本院对被拘传人的调查询问不超过八小时；情况复杂，依法可能采取拘留措施的，调查询问的时间不超过二十四小时。</p>\n"
            '<p class="party">执行拘传人：{{ officer }}</p>\n' + _SIGN
        ),
    ),
    court(
        "search_warrant",
        "搜查令",
        matters=["search"],
        approval="president",
        fields=[
            RESPONDENT,
            F("targets", "搜查对象（住所、财产隐匿地）", "textarea"),
            F("officers", "执行人员"),
        ],
        basis=f"{MPL}第二百五十九条；{INTERP}第四百九十六条、第四百九十七条",
        body=(
            "<p>本院在执行{{ case_number }}案件中，被执行人{{ respondent }}不履行生效法律文书确定的义务，并有隐匿财产的行为。依照"
            + MPL
            + "第二百五十九条，"
            + INTERP
            + "第四百九十六条、第四百九十七条的规定，经本院院长批准，特签发本搜查令，对下列处所进行搜查：</p>\n"
            "<p>{{ targets }}</p>\n<p>执行人员：{{ officers }}。</p>\n"
            "<p>搜查时，被执行人是自然人的，应当有被执行人或者其成年家属以及基层组织派员到场；被执行人是法人或者非法人组织的，应当有其法定代表人或者主要负责人到场。拒不到场的，不影响搜查。搜查妇女身体，应当由女执行人员进行。搜查中发现应当依法采取查封、扣押措施的财产，依法予以查封、扣押。</p>\n"
            + _SIGN
        ),
    ),
    court(
        "reward_notice",
        "悬赏公告",
        title="悬赏公告",
        matters=["reward"],
        approval="team_lead",
        fields=[
            RESPONDENT,
            F("respondent_info", "被执行人基本情况", "textarea"),
            APPLICANT,
            F("amount", "未履行金额（元）"),
            F("reward", "悬赏金额或计算方法"),
            F("deadline", "悬赏期限"),
        ],
        basis=f"{INVESTIGATE}第二十一条、第二十二条",
        body=(
            "<p>本院受理的申请执行人{{ applicant }}与被执行人{{ respondent }}一案，被执行人至今尚有人民币{{ amount }}元未履行。经申请执行人申请，依照"
            + INVESTIGATE
            + "第二十一条、第二十二条的规定，本院发布悬赏公告如下：</p>\n"
            '<p class="party">被执行人基本情况：{{ respondent_info|linebreaksbr }}</p>\n'
            "<p>一、凡提供本院尚未掌握的被执行人可供执行的财产线索，使申请执行人的债权得以全部或者部分实现的，由申请执行人按{{ reward }}支付悬赏金；</p>\n"
            "<p>二、悬赏期限：{{ deadline }}；</p>\n"
            "<p>三、本院对举报人的身份及举报内容依法保密。举报人可通过智慧执行“执行线索”或者下列联系方式向本院提供线索。</p>\n"
            "<p>特此公告。</p>\n" + _SIGN + _CONTACT
        ),
    ),
    court(
        "closing_notice",
        "结案通知书",
        matters=["closing"],
        fields=[
            F("addressee", "受通知人"),
            APPLICANT,
            RESPONDENT,
            F("closing_way", "结案方式"),
            F("closing_reason", "结案情况", "textarea"),
        ],
        basis=f"{MPL}第二百六十五条、第二百六十八条；{INTERP}第五百一十七条",
        body=(
            '<p class="party">{{ addressee }}：</p>\n'
            "<p>本院执行的申请执行人{{ applicant }}与被执行人{{ respondent }}{{ case_number }}一案，{{ closing_reason }}，本案以{{ closing_way }}方式结案。</p>\n"
            "<p>被执行人未履行完毕生效法律文书确定的义务的，依照"
            + MPL
            + "第二百六十五条的规定应当继续履行；申请执行人发现被执行人有可供执行财产的，可以向本院申请恢复执行或者再次申请执行。</p>\n"
            "<p>特此通知。</p>\n" + _SIGN + _CONTACT
        ),
    ),
    court(
        "service_receipt",
        "送达回证",
        matters=["notice", "seal_up", "freeze", "distrain", "dishonest", "fine", "detention", "closing"],
        fields=[
            F("served_documents", "送达文书名称及件数", "textarea"),
            F("recipient", "受送达人"),
            F("address", "送达地址"),
            F("method", "送达方式"),
        ],
        basis=f"{MPL}第八十七条、第九十条",
        body=(
            '<p class="party">送达文书：{{ served_documents|linebreaksbr }}</p>\n'
            '<p class="party">受送达人：{{ recipient }}</p>\n<p class="party">送达地址：{{ address }}</p>\n<p class="party">送达方式：{{ method }}</p>\n'
            '<p class="party">受送达人签名或者盖章：＿＿＿＿＿＿＿＿　　收到日期：＿＿＿＿年＿＿月＿＿日</p>\n'
            '<p class="party">代收人及代收理由：＿＿＿＿＿＿＿＿＿＿＿＿</p>\n<p class="party">送达人：{{ judge }}　　见证人：＿＿＿＿＿＿</p>\n'
            "<p>依照"
            + MPL
            + "第八十七条的规定，受送达人应当在送达回证上记明收到日期，签名或者盖章；经受送达人同意以电子方式送达的，依照该法第九十条的规定，以送达信息到达受送达人特定系统的日期为送达日期。</p>\n"
            + _SIGN
        ),
    ),
]

PARTY_CATEGORIES: list[tuple[str, str]] = [
    ("apply", "执行申请"),
    ("objection", "执行异议"),
    ("authorization", "委托授权书、身份证明书"),
    ("guarantee", "执行担保保证书"),
    ("evidence", "证人证据、申请鉴定"),
    ("extension", "申请顺延期限"),
    ("fees", "申请缓交、减交、免交诉讼费"),
    ("other", "恢复执行及其他申请"),
]

_P_APPLICANT = (
    '<p class="party">申请执行人：{{ applicant }}，性别：{{ gender }}，出生日期：{{ birth }}，民族：{{ nation }}，住所地：{{ address }}，联系电话：{{ phone }}。</p>\n'
    '<p class="party">被执行人：{{ respondent }}，住所地：{{ respondent_address }}，联系电话：{{ respondent_phone }}。</p>\n'
)
_P_SIGN = '<p class="sign">申请人：{{ signer }}</p>\n<p class="date">{{ date }}</p>\n'
_P_COURT = '<p class="party">此致</p>\n<p class="party">{{ court_name }}</p>\n'

PARTY_TEMPLATES: list[dict[str, Any]] = [
    party(
        "p_apply",
        "强制执行申请书",
        category="apply",
        fields=[
            F("applicant", "申请执行人"),
            F("gender", "性别"),
            F("birth", "出生日期"),
            F("nation", "民族"),
            F("address", "住所地"),
            F("phone", "联系电话"),
            F("respondent", "被执行人"),
            F("respondent_address", "被执行人住所地"),
            F("respondent_phone", "被执行人联系电话"),
            F("requests", "请求事项", "textarea"),
            F("basis", "执行依据"),
            F("facts", "事实和理由", "textarea"),
            F("court_name", "执行法院"),
            F("signer", "申请人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第二百三十五条、第二百四十七条、第二百五十条",
        body=_P_APPLICANT
        + "<p><strong>请求事项：</strong>{{ requests }}</p>\n"
        + "<p><strong>事实和理由：</strong>{{ basis }}已经发生法律效力，被执行人至今未履行该法律文书确定的义务。{{ facts }}依照"
        + MPL
        + "第二百四十七条的规定，特向贵院申请强制执行。</p>\n"
        + _P_COURT
        + _P_SIGN
        + '<p class="note">附：执行依据副本一份，生效证明一份，申请执行人身份证明一份，被执行人财产线索一份。</p>\n',
    ),
    party(
        "p_objection",
        "执行异议书",
        category="objection",
        fields=[
            F("objector", "异议人"),
            F("objector_info", "异议人身份情况", "textarea"),
            F("case_number", "执行案号"),
            F("requests", "异议请求", "textarea"),
            F("facts", "事实和理由", "textarea"),
            F("court_name", "执行法院"),
            F("signer", "异议人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第二百三十六条、第二百三十八条",
        body='<p class="party">异议人：{{ objector }}，{{ objector_info|linebreaksbr }}</p>\n'
        + "<p>异议人对贵院{{ case_number }}案件的执行行为（或者执行标的）提出异议。</p>\n"
        + "<p><strong>异议请求：</strong>{{ requests }}</p>\n<p><strong>事实和理由：</strong>{{ facts }}</p>\n"
        + "<p>依照"
        + MPL
        + "第二百三十六条（对执行行为的异议）或者第二百三十八条（案外人对执行标的的异议）的规定，特提出异议，请依法审查。</p>\n"
        + _P_COURT
        + '<p class="sign">异议人：{{ signer }}</p>\n<p class="date">{{ date }}</p>\n',
    ),
    party(
        "p_authorization",
        "授权委托书",
        category="authorization",
        fields=[
            F("principal", "委托人"),
            F("agent", "受托人"),
            F("agent_info", "受托人身份情况（工作单位、职务、联系电话）", "textarea"),
            F("case_number", "案号"),
            F("powers", "代理权限", "textarea"),
            F("court_name", "法院"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第六十二条",
        body='<p class="party">委托人：{{ principal }}</p>\n<p class="party">受托人：{{ agent }}，{{ agent_info|linebreaksbr }}</p>\n'
        + "<p>现委托上列受托人在{{ case_number }}执行案件中，作为我方的委托代理人。</p>\n"
        + "<p>代理权限：{{ powers }}（代为承认、放弃、变更执行请求，进行和解，代收执行款等须特别授权。）</p>\n"
        + _P_COURT
        + '<p class="sign">委托人：{{ principal }}（签名或者盖章）</p>\n<p class="date">{{ date }}</p>\n',
    ),
    party(
        "p_identity",
        "法定代表人身份证明书",
        category="authorization",
        fields=[
            F("representative", "法定代表人姓名"),
            F("gender", "性别"),
            F("age", "年龄"),
            F("title", "职务"),
            F("unit", "单位名称"),
            F("credit_code", "统一社会信用代码"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第五十一条；{INTERP}第五十条",
        body="<p>{{ representative }}，性别{{ gender }}，年龄{{ age }}，在我单位任{{ title }}职务，系我单位法定代表人。</p>\n"
        + '<p class="party">单位名称：{{ unit }}</p>\n<p class="party">统一社会信用代码：{{ credit_code }}</p>\n'
        + "<p>特此证明。</p>\n"
        + '<p class="sign">{{ unit }}（盖章）</p>\n<p class="date">{{ date }}</p>\n',
    ),
    party(
        "p_guarantee",
        "执行担保保证书",
        category="guarantee",
        fields=[
            F("guarantor", "保证人"),
            F("guarantor_info", "保证人身份情况", "textarea"),
            F("case_number", "案号"),
            F("respondent", "被执行人"),
            F("scope", "保证范围"),
            F("term", "暂缓执行期限"),
            F("property", "担保财产（如有）", "textarea"),
            F("court_name", "法院"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第二百四十二条；《最高人民法院关于执行担保若干问题的规定》第一条、第十一条",
        body='<p class="party">保证人：{{ guarantor }}，{{ guarantor_info|linebreaksbr }}</p>\n'
        + "<p>在贵院执行的{{ case_number }}案件中，保证人自愿为被执行人{{ respondent }}提供执行担保，保证范围为{{ scope }}，申请暂缓执行期限为{{ term }}。担保财产：{{ property }}。</p>\n"
        + "<p>被执行人在暂缓执行期限届满后仍不履行义务的，保证人同意贵院依照"
        + MPL
        + "第二百四十二条的规定，直接执行保证人的财产，以保证人承担保证责任的范围为限。</p>\n"
        + _P_COURT
        + '<p class="sign">保证人：{{ guarantor }}（签名或者盖章）</p>\n<p class="date">{{ date }}</p>\n',
    ),
    party(
        "p_witness",
        "证人出庭作证申请书",
        category="evidence",
        fields=[
            F("applicant", "申请人"),
            F("case_number", "案号"),
            F("witness", "证人姓名及身份情况", "textarea"),
            F("facts", "拟证明的事实", "textarea"),
            F("court_name", "法院"),
            F("signer", "申请人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第七十五条、第七十六条；《最高人民法院关于民事诉讼证据的若干规定》第六十九条",
        body='<p class="party">申请人：{{ applicant }}</p>\n'
        + "<p>申请人在{{ case_number }}案件中，申请通知下列证人出庭作证：{{ witness }}。</p>\n"
        + "<p>拟证明的事实：{{ facts }}</p>\n<p>证人出庭作证的必要费用，由申请人依法先行垫付。</p>\n"
        + _P_COURT
        + _P_SIGN,
    ),
    party(
        "p_appraisal",
        "鉴定申请书",
        category="evidence",
        fields=[
            F("applicant", "申请人"),
            F("case_number", "案号"),
            F("object", "鉴定事项", "textarea"),
            F("reason", "事实和理由", "textarea"),
            F("court_name", "法院"),
            F("signer", "申请人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第七十九条",
        body='<p class="party">申请人：{{ applicant }}</p>\n'
        + "<p><strong>申请事项：</strong>请求对{{ object }}进行鉴定。</p>\n<p><strong>事实和理由：</strong>{{ reason }}依照"
        + MPL
        + "第七十九条的规定，特申请鉴定。</p>\n"
        + _P_COURT
        + _P_SIGN,
    ),
    party(
        "p_extension",
        "顺延期限申请书",
        category="extension",
        fields=[
            F("applicant", "申请人"),
            F("case_number", "案号"),
            F("period", "耽误的期限"),
            F("reason", "正当理由", "textarea"),
            F("obstacle_end", "障碍消除日期"),
            F("court_name", "法院"),
            F("signer", "申请人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第八十六条",
        body='<p class="party">申请人：{{ applicant }}</p>\n'
        + "<p><strong>申请事项：</strong>请求准许顺延{{ case_number }}案件中的{{ period }}。</p>\n"
        + "<p><strong>事实和理由：</strong>{{ reason }}上述障碍于{{ obstacle_end }}消除。依照"
        + MPL
        + "第八十六条的规定，申请人在障碍消除后十日内提出本申请。</p>\n"
        + _P_COURT
        + _P_SIGN,
    ),
    party(
        "p_fee_relief",
        "缓交、减交、免交诉讼费用申请书",
        category="fees",
        fields=[
            F("applicant", "申请人"),
            F("case_number", "案号"),
            F("kind", "申请类别（缓交/减交/免交）"),
            F("amount", "应交费用（元）"),
            F("reason", "事实和理由", "textarea"),
            F("court_name", "法院"),
            F("signer", "申请人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第一百二十一条；《诉讼费用交纳办法》第四十四条至第四十八条",
        body='<p class="party">申请人：{{ applicant }}</p>\n'
        + "<p><strong>申请事项：</strong>请求准予{{ kind }}{{ case_number }}案件的诉讼费用人民币{{ amount }}元。</p>\n"
        + "<p><strong>事实和理由：</strong>{{ reason }}依照"
        + MPL
        + "第一百二十一条及《诉讼费用交纳办法》第四十四条的规定，特提出申请，并附相关证明材料。</p>\n"
        + _P_COURT
        + _P_SIGN,
    ),
    party(
        "p_resume",
        "恢复执行申请书",
        category="other",
        fields=[
            F("applicant", "申请执行人"),
            F("respondent", "被执行人"),
            F("case_number", "原执行案号"),
            F("reason", "申请理由（发现的财产线索或者不履行和解协议的情况）", "textarea"),
            F("court_name", "法院"),
            F("signer", "申请人签名"),
            F("date", "日期"),
        ],
        basis=f"{MPL}第二百四十一条；{INTERP}第五百一十七条",
        body='<p class="party">申请执行人：{{ applicant }}</p>\n<p class="party">被执行人：{{ respondent }}</p>\n'
        + "<p><strong>申请事项：</strong>请求对{{ case_number }}案件恢复执行（再次申请执行）。</p>\n"
        + "<p><strong>事实和理由：</strong>{{ reason }}依照"
        + MPL
        + "第二百四十一条、"
        + INTERP
        + "第五百一十七条的规定，特申请恢复执行。</p>\n"
        + _P_COURT
        + _P_SIGN,
    ),
]

ALL_TEMPLATES = COURT_TEMPLATES + PARTY_TEMPLATES

# Matter types the court templates bind to (code, name, category of the workflow catalogue).
MATTER_TYPES: list[tuple[str, str, str]] = [
    ("notice", "告知", "online"),
    ("seal_up", "查封", "offline"),
    ("freeze", "冻结", "online"),
    ("distrain", "扣押", "offline"),
    ("dishonest", "限消失信", "coercive"),
    ("fine", "罚款", "coercive"),
    ("detention", "拘留", "coercive"),
    ("summons_compel", "拘传", "coercive"),
    ("search", "搜查", "coercive"),
    ("reward", "悬赏执行", "offline"),
    ("closing", "结案", "other"),
]

# Other names a court's catalogue may use for the same matter (the workflow catalogue says 传唤 for summons).
MATTER_ALIASES: dict[str, set[str]] = {"summons_compel": {"拘传", "传唤"}, "reward": {"悬赏执行", "悬赏"}}
