"""The report's key terms in English and Chinese, for English questions.

Each entry: ``en``, the English a journalist or an assistant types (phrases are
matched by the stems of their words, so one form of a word is enough); ``zh``,
the words the report itself uses; ``records``, records whose Chinese holds one of
them (a test checks each, and that every ``zh`` is in the report), so that an
entry stands for something the report says. The bilingual names of the records
(``name``/``name_en``, ``title``/``title_en``) are added to this at index time.

An English question finds a record when every one of its words (or phrases) is
in the record's English by stem, or one of the Chinese words an entry gives it is
in its Chinese. A word that is in no entry and in no record's English finds
nothing: the report is then said not to mention it.
"""

from __future__ import annotations

GLOSSARY: tuple[dict[str, list[str]], ...] = (
    # -- firms, the private economy ------------------------------------------------
    {"en": ["company", "enterprise", "firm", "business"], "zh": ["企业", "公司"], "records": ["case-tenghai-land"]},
    {"en": ["private"], "zh": ["民营"], "records": ["private-economy", "case-tenghai-land"]},
    {
        # the report's 民营经济 (private economy) is its private firms taken together
        "en": ["private enterprise", "private company", "private firm", "private business"],
        "zh": ["民营企业", "民营经济"],
        "records": ["case-tenghai-land", "private-economy", "case-enterprise-problems"],
    },
    {
        "en": ["private economy", "private sector", "non-state economy"],
        "zh": ["民营经济"],
        "records": ["private-economy", "metric-private-value-added-share"],
    },
    {"en": ["entrepreneur"], "zh": ["企业家"], "records": ["metric-tech-enterprises"]},
    {"en": ["problem", "difficulty", "difficulties"], "zh": ["难题"], "records": ["case-enterprise-problems"]},
    {
        "en": ["tax", "tax revenue"],
        "zh": ["税收", "税金"],
        "records": ["metric-private-tax-share", "case-tenghai-land"],
    },
    {"en": ["value added"], "zh": ["增加值"], "records": ["metric-private-value-added-share"]},
    {"en": ["growth", "grow", "increase"], "zh": ["增长"], "records": ["metric-funds-in-place-growth-2022"]},
    {"en": ["market value", "market capitalisation", "market capitalization"], "zh": ["市值"], "records": []},
    # -- investment ----------------------------------------------------------------
    {
        "en": ["attract investment", "investment attraction", "attract", "investment promotion"],
        "zh": ["招商"],
        "records": ["case-investment-system", "metric-investment-attracted-2022"],
    },
    {"en": ["investment", "invest"], "zh": ["投资", "招商"], "records": ["metric-investment-attracted-2022"]},
    {"en": ["funds", "funding", "capital"], "zh": ["资金"], "records": ["metric-funds-in-place-2022"]},
    {"en": ["seed fund"], "zh": ["种子基金"], "records": []},
    # -- science and technology -------------------------------------------------
    {"en": ["chip", "microchip"], "zh": ["芯片"], "records": ["case-sitaibao-chip-line", "project-platinum-chip-line"]},
    {"en": ["production line"], "zh": ["生产线"], "records": ["case-sitaibao-chip-line"]},
    {"en": ["research and development", "r&d", "research"], "zh": ["研发"], "records": ["metric-rd-intensity"]},
    {"en": ["high-tech enterprise", "high-tech company", "high-tech firm"], "zh": ["高新技术企业"], "records": []},
    {
        "en": ["little giant", "specialised and sophisticated", "specialized and sophisticated", "srdi"],
        "zh": ["专精特新"],
        "records": ["metric-national-srdi-little-giants"],
    },
    {"en": ["innovation", "innovate"], "zh": ["创新"], "records": []},
    {"en": ["technology", "tech", "science and technology"], "zh": ["科技"], "records": []},
    {"en": ["science city"], "zh": ["科学城"], "records": []},
    {"en": ["talent", "talents", "talented people"], "zh": ["人才"], "records": ["science-city"]},
    {"en": ["university"], "zh": ["大学"], "records": ["case-xunjian-swu-base"]},
    {"en": ["laboratory", "lab"], "zh": ["实验室"], "records": ["org-swu-lab"]},
    # -- towns and villages, roads, homes ------------------------------------------
    {
        "en": ["rural revitalization", "rural revitalisation", "revitalize the countryside"],
        "zh": ["乡村振兴"],
        "records": ["goal-rural-urban-balance"],
    },
    {"en": ["rural", "village", "countryside"], "zh": ["乡村", "农村"], "records": ["case-beautiful-villages"]},
    {"en": ["rural road", "country road", "village road"], "zh": ["农村路"], "records": ["case-sanjin-road"]},
    {"en": ["road"], "zh": ["农村路"], "records": ["case-sanjin-road"]},
    {
        "en": ["urban and rural", "urban-rural", "town and country"],
        "zh": ["城乡"],
        "records": ["goal-urban-rural-connectivity"],
    },
    {
        "en": [
            "old residential compound",
            "old neighbourhood",
            "old neighborhood",
            "old housing estate",
            "old residential area",
        ],
        "zh": ["老旧小区"],
        "records": ["case-old-compounds"],
    },
    {"en": ["renovation", "renovate", "renewal", "retrofit"], "zh": ["改造"], "records": ["case-old-compounds"]},
    {"en": ["resident", "household"], "zh": ["居民", "户"], "records": ["metric-old-compounds-households"]},
    {
        "en": ["high-speed rail", "high-speed railway", "hsr", "bullet train"],
        "zh": ["高铁"],
        "records": ["project-yuxi-hsr"],
    },
    {"en": ["railway", "rail"], "zh": ["铁路", "轨道", "高铁"], "records": []},
    {"en": ["transport", "transportation", "traffic"], "zh": ["交通"], "records": ["case-transport"]},
    # -- ecology -------------------------------------------------------------------
    {
        "en": ["forest coverage", "forest cover", "forest coverage rate"],
        "zh": ["森林覆盖率"],
        "records": ["metric-forest-coverage"],
    },
    {"en": ["air quality"], "zh": ["空气质量"], "records": ["honour-air-quality"]},
    {"en": ["ecology", "ecological", "eco"], "zh": ["生态"], "records": []},
    {"en": ["environment", "environmental"], "zh": ["环境", "生态环境"], "records": []},
    {"en": ["greenway", "green way"], "zh": ["绿道"], "records": ["place-jiangdong-greenway"]},
    {"en": ["park"], "zh": ["公园", "园区"], "records": []},
    {"en": ["tourism", "tourist", "leisure"], "zh": ["农旅", "休闲"], "records": ["case-beautiful-villages"]},
    # -- culture, history ------------------------------------------------------------
    {"en": ["museum"], "zh": ["馆", "百馆陪城"], "records": ["case-hundred-museums"]},
    {"en": ["office", "headquarters"], "zh": ["办公地"], "records": ["case-southwest-bureau-site"]},
    {"en": ["pilot"], "zh": ["试点"], "records": ["honour-eod-pilot"]},
    {"en": ["reform"], "zh": ["改革"], "records": []},
)
