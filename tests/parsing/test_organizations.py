import pytest

from articles.parsing import OrganizationMention, parse_page, tokenizer
from articles.parsing.organizations import find_organizations


def found(*texts: str) -> dict[str, tuple[str, ...]]:
    return {o.name: o.aliases for o in find_organizations(list(texts))}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("北京市总工会党组成员、副主席蒋文云出席会议并讲话。", "北京市总工会"),
        ("近日，北辰集团工会举办工会干部研修班。", "北辰集团工会"),
        ("近日，北京市邮政工会举办着装礼仪培训讲座。", "北京市邮政工会"),
        ("北京市交通运输工会、北京公交集团公司相关负责同志参加大会。", "北京市交通运输工会"),
        ("近日，北京建工城乡集团中昊公司工会举办亲子阅读活动。", "北京建工城乡集团中昊公司工会"),
        (
            "日前，北京住总集团有限责任公司工程总承包部工会向职工下发“保健操手卡”。",
            "北京住总集团有限责任公司工程总承包部工会",
        ),
        (
            "近日，北京公共交通控股（集团）有限公司工会第四届会员代表大会召开。",
            "北京公共交通控股（集团）有限公司工会",
        ),
        ("本报讯 中直机关工会联合会近日举行会员代表大会。", "中直机关工会联合会"),
    ],
)
def test_union_names_are_found_with_their_full_extent(sentence, name):
    assert name in found(sentence)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("随后，北下关街道总工会为了让职工会员方便就近领取。", "北下关街道总工会"),
        ("龙泉镇机关工会为每名孩子准备了学习用品。", "龙泉镇机关工会"),
        ("近期，中关村科技园区丰台园工会联合企业举办读书会。", "中关村科技园区丰台园工会"),
        ("杭州市临安区总工会、玲珑街道总工会联合企业启动活动。", "玲珑街道总工会"),
        ("近日，仙居县消防救援大队工会委员会正式成立。", "仙居县消防救援大队工会委员会"),
        ("会上，北京市工业（国防）工会发布了建设方案。", "北京市工业（国防）工会"),
        ("中国建筑一局（集团）有限公司工会开展送清凉活动。", "中国建筑一局（集团）有限公司工会"),
        ("北京科学城物业管理有限公司工会参加活动。", "北京科学城物业管理有限公司工会"),
        ("北汽集团工会副主席出席会议。", "北汽集团工会"),
        ("无不体现了北京现代工会为员工们营造的氛围。", "北京现代工会"),
    ],
)
def test_street_township_park_and_company_unions_of_real_pages(sentence, name):
    assert name in found(sentence)


@pytest.mark.parametrize(
    ("texts", "name", "short"),
    [
        (
            ["广东省珠海市香洲区总工会领导看望建设者。", "目前，香洲区总已为15个企业送去清凉。"],
            "广东省珠海市香洲区总工会",
            "香洲区总",
        ),
        (["长泰县总工会开展活动。", "长泰县总还将继续推进。"], "长泰县总工会", "长泰县总"),
    ],
)
def test_a_federations_short_form_with_its_place_is_an_alias(texts, name, short):
    assert short in found(*texts)[name]


@pytest.mark.parametrize(
    "lead",
    [
        "本报讯（记者 陈曦）西长安街街道总工会近日举行仪式。",
        "本报讯 （通讯员 李惠梓）椿树街道总工会近日启动活动。",
    ],
)
def test_a_byline_never_glues_to_the_union_after_it(lead):
    assert all(not name.startswith(("（", "(")) for name in found(lead))
    assert any(name.endswith("街道总工会") for name in found(lead))


def test_alias_introduced_in_brackets_joins_the_full_name():
    orgs = found(
        "近日，北京经济技术开发区（以下简称：经开区）总工会组织开展2024年首批先进职工疗休养活动。",
        "活动中，经开区总工会组织职工先后前往秦皇岛博物馆参观学习。",
    )
    assert orgs == {"北京经济技术开发区总工会": ("经开区总工会",)}


@pytest.mark.parametrize("quote", ["“经开区”", "：经开区", "“经开区"])
def test_alias_bracket_forms(quote):
    orgs = found(f"北京经济技术开发区（以下简称{quote}）总工会组织职工疗休养。")
    assert orgs == {"北京经济技术开发区总工会": ("经开区总工会",)}


def test_short_forms_in_the_same_article_become_aliases():
    orgs = found(
        "北京公共交通控股（集团）有限公司工会第四届会员代表大会召开。",
        "大会总结了北京公交集团公司工会第三届会员代表大会以来的各项工作。",
        "北京公交集团工会要认真落实全国总工会“559”工作部署。",
    )
    assert orgs["北京公共交通控股（集团）有限公司工会"] == (
        "北京公交集团公司工会",
        "北京公交集团工会",
    )


def test_all_china_federation_is_one_organization_under_all_its_names():
    assert found("认真落实全国总工会工作部署。") == {"中华全国总工会": ("全国总工会", "全总")}
    assert found("全总主席会见劳模代表。") == {"中华全国总工会": ("全国总工会", "全总")}


def test_a_different_district_is_not_taken_for_a_short_form():
    orgs = found("北京市朝阳区总工会和北京市总工会联合举办活动。")
    assert set(orgs) == {"北京市朝阳区总工会", "北京市总工会"}


@pytest.mark.parametrize(
    "sentence",
    [
        "下一步，工会将一如既往地关注职工及其家庭。",
        "公交集团公司各级工会围绕公司改革发展大局，打造“五型”工会。",
        "北京公交集团各级工会紧紧围绕中心、服务大局。",
        "区委区政府高度重视、周密部署，区总工会有效协调。",
        "该公司工会相关负责人表示。",
        "希望集团各级工会干部以此次培训为契机。",
        "关心关爱工会干部成长。",
        "职工们纷纷来到公司工会报名。",
        "市轻工会议今天召开。",
        "老矿工会心地笑了。",
        "海淀各街道工会借“送清凉”普及工会知识。",
        "近日，工会服务站开展活动。",
        "由市总、区总两级工会共同推进。",
        "新成立的消防救援大队工会要积极发挥作用。",
    ],
)
def test_generic_phrases_and_look_alikes_are_not_organizations(sentence):
    assert found(sentence) == {}


def test_names_are_whitespace_normalised():
    assert "北京市总工会" in found("北京市 总工会党组成员出席会议。")


def test_headline_mentions_count_for_the_article():
    assert "北京市邮政工会" in found("北京市邮政工会举办礼仪讲座", "近日，讲座在京举行。")


def test_articles_carry_their_organizations(seed_text):
    article = parse_page(seed_text).articles[2]
    assert article.organizations == (OrganizationMention("北辰集团工会"),)


def test_tokenizer_is_built_once_with_the_union_dictionary():
    assert tokenizer() is tokenizer()
    assert "北京市总工会" in tokenizer().lcut("北京市总工会举办活动")
    assert "经开区" in tokenizer().lcut("经开区举办职工运动会")
