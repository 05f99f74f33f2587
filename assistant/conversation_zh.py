"""Patterns for reading follow-up questions (Chinese and English), in one place.

Kept apart from the logic so they can be folded into ``assistant/zh.py`` later.
"""

from __future__ import annotations

import re

from assistant.zh import GENERIC_NOUNS  # noqa: F401 - read with the follow-up patterns

# words that point back at an earlier subject
ANAPHORA = re.compile(
    r"它们|它的|它|其中|这一?项(任务|工作|指标)?|(?:^|(?<=[，,。？?\s]))(?:这一?块|那一?块|这方面)(?:工作)?|(?:这一?块|那一?块)工作|这件事|这事|此事|这一?个(任务|指标|目标)?|这些|该(任务|指标|法|条|项)?|这部(法律|法|条例)?|这法|此法|这条|此项|上述|"
    r"那一?项|那个|那条|那部(法|法律)?|前面(说|提)的|刚才(说|提)的|同一(个)?|这里头|这里面|这当中|"
    r"\b(it|its|it's|this|that|these|those|they|them|their|the same)\b",
    re.IGNORECASE)
# "what about …", "…呢": the rest of the question is the previous one
WHAT_ABOUT = re.compile(r"^(那|那么|那如果|还有|另外|再问一下)|呢\s*[?？]?\s*$|怎么样\s*[?？]?\s*$|如何\s*[?？]?\s*$|"
                        r"\b(what|how) about\b|^\s*and\b|\bas well\b|\binstead\b", re.IGNORECASE)
# the asking words of a question (removed to find what it is about)
ASKING_WORDS = re.compile(
    r"由哪个部门|由哪些部门|哪个部门|哪些部门|哪个单位|哪家单位|什么部门|谁来|由谁|谁|牵头|负责|主抓|主管|参与单位|参与部门|参与|"
    r"怎么定义|如何定义|定义|含义|意思|是指|指的是|"
    r"那边|这边|干啥|干嘛|干什么|做啥|管啥|有哪些|哪些|哪几项|哪项|哪个|哪条|什么时候|啥时候?|几时|何时|有?几[个项家座处条种类]|多少|是什么|什么|怎么|如何|是否|有没有|吗|呢|啊|吧|"
    r"的目标|目标值|目标|指标|要求|达到|规定了?|具体|相关|是|的|了|在|要|和|与|及|"
    r"\b(who|which|what|when|how|is|are|was|were|does|do|did|the|a|an|of|for|in|on|to|by|leads?|responsible|"
    r"bureaus?|departments?|agenc(y|ies)|target|goal|about|and|else|take|takes|part|plan|say|says)\b",
    re.IGNORECASE)
YEAR = re.compile(r"(20\d\d)\s*年?")
# a plan period or horizon and the verbs that move an indicator to a value: none of them names a subject
PERIOD = re.compile(r"[“\"]?十[三四]五[”\"]?(?:期间|时期|期末|末)?|远景|展望|提高?到|提升到|降低?到|减少?到|增加到|增长到")

ASK_TARGET = re.compile(r"目标|要达到|达到多少|要到多少|多少|指标值|\b(target|goal|aim|how much|what (share|rate|percentage)|"
                        r"(supposed|expected|meant|due) to (achieve|reach)|achieve)\b",
                        re.IGNORECASE)
# a "how much" that names the target itself (not 回收了多少吨, a quantity done)
NAMES_TARGET = re.compile(r"目标|指标值|要达到|要到|\b(target|goal|aim)\b", re.IGNORECASE)
# a quantity already done or spent (回收了多少, 累计, 一共): the record, not a target
DONE_SO_FAR = re.compile(r"了多少|了几|累计|已经|已完成|一共|总共|\b(so far|were|was|did)\b", re.IGNORECASE)
ASK_KIND = re.compile(r"约束性|预期性|属性|性质|\b(binding|indicative|mandatory)\b", re.IGNORECASE)
ASK_BASELINE = re.compile(r"基期|基准|基数|2020年(的)?(数|值|水平)|\bbaseline\b", re.IGNORECASE)
# an indicator's source column: 来源, 出自哪个文件, 数据来源是哪个规划 (数据 names no subject), 谁提供的 (the
# column says …规划提供)
ASK_SOURCE = re.compile(r"数据来源|数据出处|来源|出处|出自|(?:依据|根据|按照?)(?:哪个|什么|哪份|哪一?个)文件|(?:哪个|什么|哪份)文件(?:定|规定|确定)的|(?:谁|哪里|哪儿|哪个单位)提供|\bsource\b", re.IGNORECASE)
ASK_PARTICIPANTS = re.compile(r"参与单位|参与部门|参与|配合|协助|还有谁|还有哪些部门|其他部门|其余部门|"
                              r"\b(who else|participat\w*|take part|involved|support(ing)? (bureaus?|departments?|agenc(y|ies)|units?)|(agenc(y|ies)|bureaus?|departments?|units?) (support|assist|help|cooperate)\w*|"
                              r"other (bureaus?|departments?))\b", re.IGNORECASE)
ASK_LEAD = re.compile(r"谁牵头|谁负责|由谁|哪个部门|哪个单位|哪个局|牵头|负责|\b(who (leads|is responsible|is in charge)|which "
                      r"(bureau|department)|lead)\b", re.IGNORECASE)
ASK_DEADLINE = re.compile(r"什么时候|啥时候?|几时|何时|哪年|期限|时限|截止|前完成|\b(when|deadline|by when)\b", re.IGNORECASE)
ASK_VALID = re.compile(r"还有效|有效吗|现行有效|失效|废止|作废|还适用|还能用|还管用|还好使|还算数|还能(?:引用|援引)|\b(still (valid|in force|in effect|apply|applies)|"
                       r"in force|repealed|valid)\b", re.IGNORECASE)
# what a law repeals (它同时废止了哪些法律？ / does it repeal …?), not whether it is itself repealed (被废止了吗)
ASK_REPEALS = re.compile(r"(?<!被)(同时)?废止了?(哪些|哪几|什么|多少|几部)|(?<!被)同时废止|取代了?(哪些|哪几|什么)|"
                         r"\b(does|did|will) (it|this|that|the code) (repeal|replace|supersede)|"
                         r"\b(which|what) (laws? )?(does|did) (it|this|that|the code) (repeal|replace)|\brepeals\b",
                         re.IGNORECASE)
# which law a plan requirement rests on, with no law named (法律依据是哪条？ 法律上是哪条规定的？ what is the legal basis?)
ASK_LEGAL_BASIS = re.compile(r"法律依据|法律上?的?依据|法律(?:上|里)[^，,。？?]{0,4}哪一?条|哪(?:部|条)法律|依据的?是?哪(?:一?条|部法)|"
                             r"\blegal basis\b|\bwhich law\b", re.IGNORECASE)
# when a law took or takes effect (法典从什么时候开始施行, when did it come into force): its status, asked of the law named
ASK_EFFECTIVE = re.compile(r"(?:什么时候|何时|哪天|哪一天|几号|哪年|哪一年)(?:开始|起)?(?:施行|生效|实施)|(?:施行|生效)(?:日期|时间)|"
                           r"\b(?:take|took|takes|come|came|comes) into (?:effect|force)\b|\beffective (?:date|from)\b",
                           re.IGNORECASE)
# several laws pointed back to (这几部法, 这两部法律, 上述法律, these laws): the ones the answer before named
PLURAL_LAWS = re.compile(r"(?:这|那|上述|以上|前面)(?:几|两|三|四|五|些)(?:部|个)?(?:法律|法规|法)|这些法|它们|\b(?:these|those|the) (?:laws|acts)\b|"
                         r"\bthem\b", re.IGNORECASE)
ASK_CODE = re.compile(r"法典|\b(the )?code\b", re.IGNORECASE)

_CN = "零〇一二两三四五六七八九十百"
# 第二项 / 第2个 / the second one / item 2
ITEM = re.compile(rf"第\s*(?P<n>[0-9]+|[{_CN}]+)\s*(项|个|件|点|条)|(?P<last>最后(?:一|那一?)?(?:项|个|件|点|条))|"
                  r"\b(the )?(?P<en>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)"
                  r"( one| item| task| indicator)?\b|\b(item|number|no\.)\s*(?P<n2>\d+)\b",
                  re.IGNORECASE)
# 第五十九条 / 第59条 / article 59
LAW_ARTICLE = re.compile(rf"(?:\barticle\s*(\d+)\b)|第\s*([0-9]+|[{_CN}]+)\s*条", re.IGNORECASE)
EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
               "ninth": 9, "tenth": 10}


def ordinal_value(text: str) -> int:
    """二 -> 2, 十二 -> 12, 2 -> 2; 0 when it is not a number."""
    text = (text or "").strip()
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    try:
        import cn2an  # noqa: PLC0415 - the project's numeral converter

        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return 0


# a follow-up that announces it is about something else (btw …, Different question: …, 换个问题): taken as typed,
# never joined with the turn before
TOPIC_CHANGE = re.compile(r"^\s*(btw|by the way|(a )?(different|separate|new|unrelated|another|other) (question|topic|thing)|unrelated|"
                          r"on another (note|topic)|changing (the )?(subject|topic)|"
                          r"换个问题|换个话题|另一个问题|另外一个问题|顺便问一?下|顺便问问|题外话|再问个别的|问个别的|说点别的|聊点别的|问点别的)(?![A-Za-z])\s*[,，:：.。-]*\s*",
                          re.IGNORECASE)
# openers that may start a new question or a "what about" (另外X呢): read_followup decides by what follows
# things the previous answer named, pointed at by their kind: 这几个地块, 这些单位, 这类企业
POINTED_KIND = re.compile(r"(?:这些|这几个|这几家|这几类|这几处|这几项|这类|这两个|这两家|这三个|上述)"
                          r"(?P<kind>[\u4e00-\u9fff]{1,4}?)(?=[，,。？?的怎要有是在如呢吗里中对被会应该]|$)")
# the two things just discussed, asked of together (这两项分别是谁牵头): one question about each
BOTH = re.compile(r"这两项|这两个|这俩|两者|二者|两项分别|\bboth(?: of them)?\b|\bthese two\b|\bthe two\b", re.IGNORECASE)
# a bureau's list of tasks asked whole (那州住建局在整个规划里单独牵头的是哪几项？): a question of its own
LIST_ASK = re.compile(r"哪几项|哪几件|哪些任务|哪些工作|哪些事|都有哪些|有哪些任务|几项任务|\bwhich tasks\b|\blist (?:the |all )?tasks\b",
                      re.IGNORECASE)
# "那" / "那么" opening a question: only a link to the turn before when what follows leans on it
# (那个 / 那3个地块 point back: they are no opener)
THEN_OPENER = re.compile(r"^\s*(那么|那)(?![个些条项部种类]|\s*[\d一二两三四五六七八九十几]+\s*[个项条家座处部种类块])\s*[,，]?\s*")
# an asking word that makes a question whole on its own (有几家, 是多少, 有什么行动, 谁牵头)
STANDS_ASKING = re.compile(r"几[家个项座处条次年]|多少|什么|啥|哪|谁|吗|是否|有没有")
SOFT_OPENER = re.compile(r"^\s*(另外(?:再?问一下)?|还有个?问题|再问一下|另问|我再问|还想问)\s*[,，:：]?\s*")
# "the same as what was just said" (也这么要求, 有类似规定, 一样吗): the plan asked about the law just quoted
SAME_AS = r"这么|这样|同样|类似|一样|相同"
# a follow-up that asks where the plan takes up what was just discussed (规划里落实这条的任务…)
ASK_PLAN_TASK = re.compile(r"规划(里|中|内)?.{0,8}(落实|对应|体现|放在|安排|哪项任务|哪个任务|任务)|"
                           r"规划(?:里|中|内|上)?[^，,。？?]{0,12}这一?(?:项|个|条|件|块|事|方面)|"
                           r"规划(?:里|中|内|上)?[^，,。？?]{0,4}(?:" + SAME_AS + r")|"
                           r"\b(the (?:\w+ )?plan|which task)\b", re.IGNORECASE)


# a follow-up that turns to the plan (规划里…谁牵头, 规划对这些地块还有什么限制) after a law was discussed
PLAN_SIDE = re.compile(r"规划(?:里|中|内|上|对|怎么|如何|有没有|有无|当中)|\b(?:in|does) the plan\b", re.IGNORECASE)
# a pointer back in a follow-up turned to the plan (对这类地块, 规划里这块); 转运这块 names its own subject
POINTS_BACK = re.compile(r"(?:^|[里中对在上，,])(?:这类|这种|这些|这块|这方面|此类|上述)")
# a part of a question that asks a law (法律怎么规定), and the frame around a topic asked of a law
LAW_ASKED = re.compile(r"法律|法典|法规|哪一?条|条文|第[^，,。]{1,6}条|处罚|罚|规定")
LAW_ASK_FRAME = re.compile(r"^(?:那|那么)?(?:法律|法典|法规|[^，,。]{0,12}?法)(?:上|里|中)?(?:对于?|关于)?|"
                           r"(?:有|作了?|是)?(?:什么|哪些|怎么|怎样|如何)(?:样的?)?(?:规定|要求)的?$|规定了?(?:什么|啥)$")


# a quoted term asked to be explained (“两场两区”指什么, “一住两公”是啥意思)
QUOTED_TERM_ASKED = re.compile(r"“[^”]{2,12}”(?:“[^”]{2,12}”)*[^，,。？?]{0,4}(?:指啥|指什么|是指|什么意思|啥意思|是什么|含义|怎么理解)")
# whether the plan says what the law just quoted says, or how it carries it out (也这么要求吗, 有类似规定吗, 怎么落实,
# does it say the same)
SAYS_SO_TOO = re.compile(SAME_AS + r"|怎么写|怎么说|怎么要求|怎么落实|如何落实|怎么安排|如何安排|怎么做|\b(?:say|says|said|same|similar|require)\b", re.I)
