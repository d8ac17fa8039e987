"""Demo content for 执行头条: articles written for this project (every name, case and figure is invented;
people in cases are anonymised as “某”), generated covers and short generated videos, per-court hotlines,
and follows for the demo party. Idempotent: an article that exists (same title) is left alone."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from zhixing.courts.models import Court

from . import artwork
from .defaults import load
from .models import Article, Channel, Follow, GuideItem, Hotline
from .sanitize import sanitise_html

COLOURS = {
    "film-people": "#7b1fa2",
    "video": "#0d47a1",
    "news": "#b71c1c",
    "cases": "#1b5e20",
    "exposure": "#e65100",
}

# channel, court case code, region override, hours ago, title, summary, body HTML
ARTICLES: list[tuple[str, str, str, int, str, str, str]] = [
    # --- 执行动态 ---------------------------------------------------------------------------------------
    (
        "news",
        "鲁0102",
        "",
        3,
        "历下法院开展冬季集中执行行动 三天执结案件六十余件",
        "行动聚焦涉民生案件，通过夜间执行、错时执行找人查物，为群众兑现权益一千二百余万元。",
        "<p>入冬以来，历下区人民法院组织开展为期三天的冬季集中执行行动，执行干警分成八个小组，采取凌晨出击、错时执行等方式，集中攻坚一批被执行人下落不明、财产线索难以落实的案件。</p>"
        "<p>本次行动共出动干警一百四十余人次、警车三十余台次，拘传被执行人十五人，司法拘留三人，执结案件六十余件，执行到位金额一千二百余万元。其中，追索劳动报酬、人身损害赔偿等涉民生案件二十一件，全部当场兑付。</p>"
        "<h3>“错时执行”破解找人难</h3><p>针对部分被执行人白天外出、早出晚归的特点，执行干警提前摸排作息规律，选择清晨和夜间上门，成功找到多名长期“失联”的被执行人。</p>"
        "<p>执行局负责人表示，将持续保持执行高压态势，同时对暂时确无履行能力的被执行人依法审慎适用强制措施，做到善意文明执行。</p>",
    ),
    (
        "news",
        "鲁01",
        "",
        20,
        "济南中院召开执行工作推进会 部署“执行分段集约”改革",
        "会议明确财产查控、财产处置、案款分配、结案归档四个团队分工，推动执行工作由“一人包案到底”向“分段集约”转变。",
        "<p>济南市中级人民法院近日召开全市法院执行工作推进会，总结今年以来执行工作情况，部署推进执行分段集约办理改革。</p>"
        "<p>会议指出，分段集约的核心是把执行案件按流程节点拆分，由财产查控、财产处置、案款分配、结案归档等专业团队分别办理，各团队在信息化平台上流转衔接，既提高效率，又形成相互监督。</p>"
        "<ul><li>财产查控团队集中发起网络查控，统一处理查询反馈；</li><li>财产处置团队负责评估、拍卖、变卖等变价工作；</li><li>案款分配团队确保执行款及时发放；</li><li>结案归档团队统一审查结案条件，规范终本管理。</li></ul>"
        "<p>会议要求各基层法院年底前完成团队组建，并通过“智慧执行”平台向当事人公开案件节点信息。</p>",
    ),
    (
        "news",
        "鲁0103",
        "",
        46,
        "市中法院上线执行案款“一案一账号” 当事人可在线查询到账情况",
        "每个执行案件分配独立案款账号，被执行人缴款后系统自动识别案件，申请执行人可在手机上查看案款进度。",
        "<p>为解决执行案款“认款难、发放慢”问题，市中区人民法院启用执行案款“一案一账号”管理模式。案件立案后，系统为每个案件生成独立的缴款账号，被执行人按账号缴款，款项到账后自动与案件匹配。</p>"
        "<p>申请执行人登录“智慧执行”服务台，即可看到案款到账、审批和发放各环节的时间。案款分配团队在收到款项后，按规定期限办理发放手续。</p>"
        "<blockquote>法院提示：请认准法院出具的缴款通知书载明的账号，法院工作人员不会要求当事人向个人账户转账。</blockquote>",
    ),
    (
        "news",
        "鲁",
        "370000",
        70,
        "省法院发布执行工作白皮书 网络查控覆盖银行、不动产、车辆等十余类财产",
        "白皮书显示，全省法院执行案件平均用时进一步缩短，网络查控系统已实现主要财产类型全覆盖。",
        "<p>山东省高级人民法院发布执行工作白皮书，系统介绍了近年来全省法院执行工作的主要做法和成效。</p>"
        "<p>白皮书显示，全省法院依托网络执行查控系统，可以在线查询被执行人的银行存款、不动产、车辆、证券、网络资金等十余类财产信息，大部分财产可在线冻结、扣划，传统“登门临柜”的查询方式大幅减少。</p>"
        "<p>白皮书同时披露了失信惩戒、限制消费等信用惩戒措施的适用情况，强调对诚信履行的被执行人及时删除失信信息、解除限制措施，鼓励被执行人主动履行。</p>",
    ),
    (
        "news",
        "鲁0102",
        "",
        96,
        "执行法官走进社区 “以案说法”讲解申请执行那些事",
        "执行干警在社区普法活动中解答居民关于申请执行期限、财产线索、终本案件的提问。",
        "<p>近日，历下区人民法院执行干警走进辖区社区，开展“执行普法进社区”活动。活动中，执行法官结合真实案例，讲解了申请执行的二年期限、如何向法院提供财产线索、终结本次执行程序后还能否恢复执行等居民关心的问题。</p>"
        "<p>“很多人以为判决下来就万事大吉，其实如果对方不主动履行，一定要在两年内申请执行。”执行法官提醒居民，申请执行期间从法律文书规定的履行期间最后一日起计算。</p>"
        "<p>活动现场还演示了“智慧执行”手机端的案件查询、给法官留言和提交线索功能。</p>",
    ),
    # --- 典型案例 ---------------------------------------------------------------------------------------
    (
        "cases",
        "鲁0102",
        "",
        5,
        "转移财产逃避执行 被执行人犯拒不执行判决罪获刑",
        "被执行人在判决生效后将名下车辆低价转让给亲属，法院将其移送公安机关立案侦查，最终以拒不执行判决罪判处有期徒刑。",
        "<h3>基本案情</h3><p>申请执行人赵某与被执行人钱某民间借贷纠纷一案，法院判决钱某偿还借款本金及利息共计三十八万元。判决生效后，钱某未履行义务，却在收到执行通知后一周内，将名下一辆轿车以明显低于市场价的价格转让给其表弟。</p>"
        "<h3>处理结果</h3><p>执行法院经调查核实，认为钱某有能力执行而拒不执行，情节严重，依法将案件线索移送公安机关。经检察机关提起公诉，法院以拒不执行判决罪判处钱某有期徒刑一年。案件审理期间，钱某家属代为履行了全部款项。</p>"
        "<h3>典型意义</h3><p>对人民法院的判决、裁定有能力执行而拒不执行，情节严重的，构成拒不执行判决、裁定罪（《刑法》第三百一十三条）。判决生效后转移财产、逃避执行，不仅逃不掉债务，还要承担刑事责任。</p>",
    ),
    (
        "cases",
        "鲁0103",
        "",
        30,
        "违反限制消费令乘坐高铁一等座 被执行人被司法拘留十日",
        "被执行人被限制消费后仍多次乘坐G字头列车，法院依法对其司法拘留，其当即筹款履行全部义务。",
        "<h3>基本案情</h3><p>被执行人孙某因买卖合同纠纷被判令支付货款十二万元，逾期未履行，法院依法对其采取限制消费措施。申请执行人随后向法院反映，孙某仍经常乘坐高铁出差。</p>"
        "<p>执行法官调取铁路部门的购票记录，查明孙某在被限制消费后先后五次乘坐G字头动车组列车，其中两次为一等座。</p>"
        "<h3>处理结果</h3><p>法院认定孙某违反限制消费令，属于拒不履行已经发生法律效力的判决的行为，依法决定对其司法拘留十日。拘留期间，孙某委托家属筹款履行了全部义务，法院随即解除限制消费措施并提前解除拘留。</p>"
        "<h3>典型意义</h3><p>被限制消费的被执行人不得乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位。违反限制消费令的，法院可以依法罚款、拘留。</p>",
    ),
    (
        "cases",
        "鲁01",
        "",
        54,
        "申请执行人提供线索 法院冻结被执行人隐藏的第三方支付账户资金",
        "申请执行人发现被执行人通过网络店铺经营收款，法院据此冻结并扣划其第三方支付账户余额。",
        "<h3>基本案情</h3><p>某装饰公司与被执行人李某承揽合同纠纷一案，执行中法院通过网络查控系统未发现李某名下有可供执行的银行存款。申请执行人发现李某在某电商平台开设网店，长期正常经营。</p>"
        "<h3>处理结果</h3><p>申请执行人通过“智慧执行”提交了网店名称和截图。执行法院向平台及支付机构发出协助执行通知书，查明网店收款进入李某实际控制的第三方支付账户，依法冻结并扣划账户余额九万余元，案件全部执结。</p>"
        "<h3>典型意义</h3><p>申请执行人是最了解被执行人情况的人之一。发现被执行人有其他财产的，可以随时向法院提供线索，请求执行。</p>",
    ),
    (
        "cases",
        "鲁0102",
        "",
        80,
        "执行和解后反悔不履行 法院恢复执行原判决",
        "被执行人与申请执行人达成分期还款的和解协议后未按期付款，申请执行人申请恢复执行获准。",
        "<h3>基本案情</h3><p>周某与吴某借款纠纷执行案件中，双方达成和解协议：吴某分六个月还清二十万元，周某放弃部分利息。协议记入执行笔录后，吴某仅支付了第一期款项。</p>"
        "<h3>处理结果</h3><p>周某向法院申请恢复执行。法院审查后认为，吴某不履行和解协议，依照《民事诉讼法》第二百四十一条恢复对原生效判决的执行，对已履行部分予以扣除，并依法将无正当理由拒不履行和解协议的吴某纳入失信被执行人名单。</p>"
        "<h3>典型意义</h3><p>执行和解应当诚信履行。当事人不履行和解协议的，法院可以根据对方申请恢复执行原生效法律文书。</p>",
    ),
    (
        "cases",
        "鲁0103",
        "",
        120,
        "被执行人唯一住房能否拍卖？法院依法审查后作出处理",
        "申请执行人同意从变价款中扣除五年租金保障被执行人居住，法院对被执行人名下大面积住房依法拍卖。",
        "<h3>基本案情</h3><p>被执行人郑某名下仅有一套面积较大的住房，其以“唯一住房、生活必需”为由对法院的拍卖裁定提出异议。</p>"
        "<h3>处理结果</h3><p>法院审查认为，申请执行人同意参照当地房屋租赁市场平均租金标准，从该房屋变价款中扣除五年租金用于保障郑某家庭居住，符合司法解释规定的情形，裁定驳回郑某的异议。房屋经网络司法拍卖成交后，法院按规定预留租金，剩余款项用于清偿债务。</p>"
        "<h3>典型意义</h3><p>“唯一住房”并非绝对不能执行。法院在保障被执行人基本居住权利的前提下，依法平衡双方利益。</p>",
    ),
    # --- 曝光台 -----------------------------------------------------------------------------------------
    (
        "exposure",
        "鲁0102",
        "",
        8,
        "历下法院发布本期失信被执行人名单（第十期）",
        "本期公布有履行能力而拒不履行义务的失信被执行人十二名，其中自然人九名、单位三家。",
        "<p>根据《最高人民法院关于公布失信被执行人名单信息的若干规定》，历下区人民法院公布本期失信被执行人名单。名单中的被执行人均具有有履行能力而拒不履行、违反财产报告制度或者违反限制消费令等情形。</p>"
        "<p>公众可通过“智慧执行”的失信人查询功能，按姓名或者名称查询完整名单。被执行人的身份证号码按规定隐去部分数字。</p>"
        "<p>法院提醒：被纳入失信名单的被执行人，在乘坐飞机、高铁，招投标，担任企业高管等方面将受到限制。主动履行义务后，法院将依法删除失信信息。</p>",
    ),
    (
        "exposure",
        "鲁0103",
        "",
        28,
        "悬赏执行公告：查找被执行人名下车辆下落",
        "申请执行人申请悬赏查找一辆登记在被执行人名下、长期下落不明的货车，提供有效线索者可获悬赏金。",
        "<p>市中区人民法院在执行一起运输合同纠纷案件中，经申请执行人书面申请，决定发布悬赏公告。</p>"
        "<ul><li>悬赏对象：登记在被执行人名下的一辆重型厢式货车（车辆号牌及外观详见法院公告栏）；</li><li>悬赏金：按实际执行到位金额的百分之十计算，最高不超过三万元，由申请执行人支付；</li><li>领取条件：提供法院尚未掌握的车辆停放地点，并协助法院扣押成功。</li></ul>"
        "<p>线索可通过“智慧执行”提交执行线索功能或者拨打执行法院电话提供。法院将对举报人信息严格保密。</p>",
    ),
    (
        "exposure",
        "鲁01",
        "",
        60,
        "曝光：这些企业拖欠农民工工资拒不履行",
        "济南中院集中曝光一批拖欠劳动报酬、拒不履行生效判决的企业被执行人。",
        "<p>为保障劳动者合法权益，济南市中级人民法院对一批拖欠劳动报酬、经法院判决后仍拒不履行的企业被执行人予以集中曝光。</p>"
        "<p>法院已对上述企业及其法定代表人采取限制消费措施，将有关企业纳入失信被执行人名单，并在征信系统中记录不履行义务信息。对其中有能力履行而拒不履行、情节严重的，法院将依法移送追究刑事责任。</p>"
        "<p>法院呼吁上述企业尽快履行义务。企业履行后，可以申请法院解除限制消费措施、删除失信信息。</p>",
    ),
    (
        "exposure",
        "鲁0102",
        "",
        100,
        "失信被执行人主动履行 法院当日删除失信信息",
        "一名被曝光的失信被执行人在看到曝光信息后主动到法院履行全部义务，法院依法及时删除其失信信息。",
        "<p>上期名单公布后，被执行人冯某主动来到历下区人民法院，一次性履行了判决确定的全部款项及迟延履行期间的债务利息。</p>"
        "<p>法院当即将执行款发放给申请执行人，并依照规定在三个工作日内删除冯某的失信信息、解除限制消费措施。冯某表示，失信记录影响了自己正常出行和工作，主动履行后“终于可以正常生活了”。</p>"
        "<p>法院提醒：失信惩戒不是目的，促使被执行人自觉履行才是目的。主动履行，是消除失信记录最快的途径。</p>",
    ),
    # --- 影视·人物 --------------------------------------------------------------------------------------
    (
        "film-people",
        "鲁0102",
        "",
        12,
        "执行法官的一天：清晨五点出发的“蹲守”",
        "跟随一位执行法官，记录一次为兑现农民工工资而进行的清晨执行。",
        "<p>清晨五点，天还没亮，执行法官和两名法警已经在小区门口等候。被执行人是一家装修公司的实际经营者，拖欠十一名工人的工资已近一年。</p>"
        "<p>“他每天六点前出门，白天很难找到人。”法官一边核对资料一边说。六点零五分，被执行人走出单元门，执行干警上前出示证件、送达文书。经过近两个小时的释法明理，被执行人当场通过手机转账支付了全部工资款。</p>"
        "<p>拿到工资的工人代表给法院送来一面锦旗。法官说：“执行工作很辛苦，但看到当事人拿到钱的那一刻，觉得一切都值得。”</p>",
    ),
    (
        "film-people",
        "鲁0103",
        "",
        40,
        "从书记员到执行团队负责人：她把案件进度“晒”给当事人",
        "一位执行团队负责人讲述推动执行公开的经历：让当事人随时知道案件办到哪一步。",
        "<p>十年前，她在执行局做书记员，最常接到的电话就是当事人问：“我的案子办到哪一步了？”</p>"
        "<p>成为团队负责人后，她推动团队把财产查控结果、拍卖进度、案款发放等节点信息及时录入系统，当事人在手机上就能查看。“信息公开了，当事人的焦虑少了，投诉也少了。”</p>"
        "<p>她说，执行公开不是额外负担，而是执行规范化的倒逼机制：每个节点都要经得起当事人看。</p>",
    ),
    (
        "film-people",
        "鲁01",
        "",
        75,
        "普法微电影《迟到的还款》开机 讲述被执行人回头是岸的故事",
        "微电影以一起真实执行案件为原型改编，展现被执行人从逃避执行到主动履行的转变。",
        "<p>由济南市中级人民法院参与策划的普法微电影《迟到的还款》近日开机。影片讲述一名小企业主因经营失败欠下债务，起初躲避执行、转移财产，后在执行法官的释法说理和家人的劝说下，主动筹款履行的故事。</p>"
        "<p>影片主创介绍，剧本以一起真实执行案件为原型改编，人物姓名和情节均作了艺术处理。拍摄过程中，多名执行干警担任顾问，确保执行程序的每一个细节准确无误。</p>"
        "<p>影片预计明年春节前后在“智慧执行”视频频道上线。</p>",
    ),
    (
        "film-people",
        "鲁0102",
        "",
        110,
        "老法警的“执行笔记”：二十年记满十七本",
        "一名即将退休的法警，把二十年来参与的执行现场都记在笔记本里。",
        "<p>在历下区人民法院，法警老刘有一个“百宝箱”，里面是十七本已经泛黄的笔记本，记录着他二十年来参与的上千次执行现场。</p>"
        "<p>笔记里有被执行人的作息规律，有强制腾房时现场人员的分工，也有他对每次执行的复盘：“这次去早了，应当再等半小时”“下次要提前联系社区”。</p>"
        "<p>老刘说，这些笔记他准备交给年轻的同事。“执行工作讲究细节，细节做好了，才能既把案子办好，又保证大家安全。”</p>",
    ),
]

# Video articles: channel "video". The clip is generated at seed time.
VIDEOS: list[tuple[str, int, str, str, str]] = [
    (
        "鲁0102",
        2,
        "【现场】凌晨出击！执行干警依法拘传拒不到场的被执行人",
        "记录一次清晨集中执行行动的全过程。",
        "<p>本视频记录了历下区人民法院冬季集中执行行动中的一次清晨执行。执行干警依法出示证件、送达法律文书，对经传票传唤无正当理由拒不到场的被执行人依法拘传。</p>",
    ),
    (
        "鲁0103",
        26,
        "【普法】一分钟看懂：什么是限制消费令",
        "限制消费后哪些事不能做？一分钟讲清楚。",
        "<p>被执行人未按执行通知书指定的期间履行给付义务的，法院可以采取限制消费措施。视频用动画讲解了限制消费的九类行为，以及被执行人为单位时受限制的人员范围。</p>",
    ),
    (
        "鲁01",
        50,
        "【直播回放】网络司法拍卖怎么参加？法官手把手教你",
        "从报名、交保证金到竞价成交，一次讲明白。",
        "<p>视频介绍了网络司法拍卖的基本流程：查看拍卖公告和标的物情况、实名报名并交纳保证金、在竞价时间内出价、成交后付款和办理交付。执行法官提醒竞买人认真阅读拍卖公告中的瑕疵说明。</p>",
    ),
    (
        "鲁0102",
        90,
        "【故事】二十万元执行款终于到账，申请人拿到后哭了",
        "一起拖延三年的工伤赔偿案件终于执行到位。",
        "<p>一名因工受伤的工人，赔偿款迟迟拿不到。执行团队通过网络查控发现被执行企业的应收账款，依法冻结并扣划，执行款最终全部发放到申请人手中。</p>",
    ),
]


def _random_views(rng: random.Random, hours_ago: int) -> int:
    return int(rng.randint(80, 900) * (1 + hours_ago / 48))


def seed(out: Any) -> None:
    load(Channel, GuideItem, Hotline)
    channels = {c.slug: c for c in Channel.objects.all()}
    courts = {c.case_code: c for c in Court.objects.all()}
    if not courts:
        out.write("  执行头条：无法院数据，跳过")
        return
    rng = random.Random(2026)
    now = timezone.now()
    created = videos = 0
    for slug, code, region, hours_ago, title, summary, body in ARTICLES:
        court = courts.get(code) or next(iter(courts.values()))
        if Article.objects.filter(title=title).exists():
            continue
        article = Article(
            channel=channels[slug],
            court=court,
            region_code=region or court.region_code,
            title=title,
            summary=summary,
            body=sanitise_html(body),
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=hours_ago),
            views=_random_views(rng, hours_ago),
        )
        cover = artwork.cover_jpeg(title, channels[slug].name, COLOURS[slug])
        article.cover.save(f"demo-{rng.getrandbits(48):012x}.jpg", ContentFile(cover), save=False)
        article.save()
        created += 1
    for code, hours_ago, title, summary, body in VIDEOS:
        court = courts.get(code) or next(iter(courts.values()))
        if Article.objects.filter(title=title).exists():
            continue
        article = Article(
            channel=channels["video"],
            court=court,
            region_code=court.region_code,
            title=title,
            summary=summary,
            body=sanitise_html(body),
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=hours_ago),
            views=_random_views(rng, hours_ago),
        )
        short_title = title.split("】", 1)[-1]
        article.cover.save(
            f"demo-{rng.getrandbits(48):012x}.jpg",
            ContentFile(artwork.cover_jpeg(short_title, "视频", COLOURS["video"])),
            save=False,
        )
        clip = artwork.video_mp4(short_title, "视频", COLOURS["video"])
        if clip is not None:
            article.video.save(f"demo-{rng.getrandbits(48):012x}.mp4", ContentFile(clip), save=False)
            article.video_type = "video/mp4"
            videos += 1
        article.save()
        created += 1
    # A scheduled article shows how 定时发布 works: invisible on the portal until tomorrow morning.
    scheduled_title = "预告：明日上午历下法院将开展执行开放日活动"
    if "鲁0102" in courts and not Article.objects.filter(title=scheduled_title).exists():
        Article.objects.create(
            channel=channels["news"],
            court=courts["鲁0102"],
            region_code=courts["鲁0102"].region_code,
            title=scheduled_title,
            summary="邀请人大代表、政协委员和群众代表走进执行指挥中心。",
            body=sanitise_html(
                "<p>历下区人民法院将于明日上午举办执行开放日活动，邀请人大代表、政协委员和群众代表参观执行指挥中心，现场观看网络查控和远程指挥演示。</p>"
            ),
            status=Article.Status.SCHEDULED,
            publish_at=(now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0),
        )
    for code, court in courts.items():
        if court.level == Court.Level.HIGH or not court.phone:
            continue
        Hotline.objects.get_or_create(
            court=court,
            kind=Hotline.Kind.SERVICE,
            number=court.phone,
            defaults={"hours": "工作日 8:30—17:30", "note": "诉讼服务中心", "order": 10},
        )
        if code == "鲁0102":
            Hotline.objects.get_or_create(
                court=court,
                kind=Hotline.Kind.ALL_DAY,
                number="0531-12368",
                defaults={"hours": "24小时", "note": "演示号码：夜间和节假日由值班人员接听", "order": 20},
            )
    _demo_follows(channels, courts)
    out.write(f"  执行头条：新增文章 {created} 篇（含视频 {videos} 个），频道 {len(channels)} 个")


def _demo_follows(channels: dict[str, Channel], courts: dict[str, Court]) -> None:
    from zhixing.accounts.demo import PUBLIC_USERS
    from zhixing.accounts.models import User
    from zhixing.lib import crypto

    phone = next((p for p, _, _, verified in PUBLIC_USERS if verified), None)
    user = User.objects.filter(phone_index=crypto.blind_index(phone)).first() if phone else None
    if user is None:
        return
    if "cases" in channels:
        Follow.objects.get_or_create(user=user, channel=channels["cases"])
    if "鲁0102" in courts:
        Follow.objects.get_or_create(user=user, court=courts["鲁0102"])
