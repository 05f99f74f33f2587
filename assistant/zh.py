"""Every Chinese-text pattern the assistant relies on, in one place.

Several modules used to keep their own, slightly different copies (two standard-code regexes
disagreed on ``HJ/T`` and ``DB65/T``); a pattern fixed here is fixed everywhere.
"""

from __future__ import annotations

import re

CJK = r"\u3400-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(rf"[{CJK}]+")
NUMERAL = r"[0-9０-９]+|[零〇一二两三四五六七八九十百千]+"

# 第五十九条 / 第59条 (an article), 第三章 (a division)
ARTICLE_REF = re.compile(rf"第\s*({NUMERAL})\s*条")
DIVISION_REF = re.compile(rf"第\s*({NUMERAL})\s*([编章节])")
# 《土壤污染防治法》
BOOK_TITLE = re.compile(r"《([^《》]{1,80})》")
# national, sector and local standards: GB 36600-2018, GB/T 14848-2017, HJ/T 166-2004, DB65/T 4272-2019, NY/T 395-2012
STANDARD_CODE = re.compile(r"(?<![A-Za-z])((?:GB|HJ|DB\d{2}|CJJ|CJ|NY|SL|HG|GBZ)(?:/[TZ])?)\s*(\d{1,6}(?:\.\d+)?)\s*[-—–－]\s*(\d{4})")
YEAR = re.compile(r"(20\d\d)\s*年?")
# a law's own effective-date sentence (本法自2019年1月1日起施行) and a date written in Chinese
EFFECTIVE = re.compile(r"自(.{0,24}?)起施行")
DATE_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
SENTENCE_END = "。！？；;!?"
_SENTENCE = re.compile(r"[^。；;！？!?]*[。；;！？!?]?")

# the responsibility notes' markers
LEAD_MARK = "牵头"
PARTICIPATE_MARK = "参与"
RESPONSIBLE_MARK = "负责"

# words that ask about a clause's penalties (legal liability chapter)
PENALTY = re.compile(r"罚款|罚(?:多少|啥|什么|几)|(?:咋|怎么|怎样|如何)(?:个)?(?:处)?罚|处罚|罚则|法律责任|责令|拘留|没收|"
                     r"\bwhat happens to\b|\bpenalt|\bfine[sd]?\b|\bpunish", re.IGNORECASE)
# persons: the corpus names none, so a question about one is answered with absence
PERSON = re.compile(r"局长|副局长|书记|主任|州长|县长|组长|队长|处长|科长|厅长|负责人(?:是谁|叫什么)|姓名|哪位|哪个领导|领导是谁|"
                    r"(?:人|长|员|者|他|她)[^，,。？?]{0,4}(?:名字|叫什么名)|"  # a principle's 名字 is no person's
                    r"(?:法定代表人|法人代表|法人|联系人|经办人|老板|董事长|总经理)[^，,。？?]{0,4}?(?:是|叫)?(?:谁|什么名|哪位)|legal representative|\bdirector\b|\bhead of\b|\bwho heads\b|\bminister\b|\bchief\b",
                    re.IGNORECASE)
# how far things have got now: the plan sets requirements, it records no progress made after it was written
# words that make a past-tense English question ask what the plan requires ("what did the plan require in 2023")
_ASKS_THE_PLAN = r"(?:plan|require|say|set|ask|expect|call|need|mandate|have|had|must|should|supposed|due)\w*"
PROGRESS = re.compile(r"(?:现在|目前|如今|眼下|当前|至今)[^，,。？?]{0,14}(?:进度|进展|完成了吗|完成没|完了吗|做完|搞完|建成了吗|"
                      r"落实得?怎么样|怎么样了|到哪一?步|还剩|剩下|不达标|超标)|进度(?:怎么样|如何)|进展(?:如何|怎么样|情况)|"
                      r"(?:今年|去年|前年|上半年|下半年|最近一年|这两年)[^，,。？?]{0,24}(?:结果|情况|怎样|怎么样|如何|几起|多少起|罚了|查处|"
                      r"实际|一共|总共|多少|几[个种项家条起座口]|哪|没|未|达标|超标|完成|发现|查出|整改|监测)|"
                      r"(?:现在|目前|如今|眼下|当前|至今|截至目前)[^，,。？?]{0,14}(?:什么程度|多少了|几[个种项家条座口]了|一共|总共|实际|是否已经?|已经.{0,6}了吗)|"
                      # 修复完的地现在拿来干啥了: what became of something since, which no plan records
                      r"(?:现在|目前|如今|眼下)[^，,。？?]{0,10}(?:拿来|用来|用作|改成|变成|建了)[^，,。？?]{0,6}(?:啥|什么)|"
                      r"(?:实际|已经|已)(?:做到|完成|用了|达到了|修复|建成|治理|排查出|查出)[^，,。？?]{0,8}(?:多少|几|什么程度)|"
                      r"20(?:2[1-9]|3\d)年[^，,。？?]{0,12}(?:多少了|到多少了|达到了|完成了多少|实际|怎么样了|咋样了?|完成得怎么样|结果|"
                      r"(?:完成|做完|搞完|办完|建成|达标)了?(?:没有|没|吗))|"
                      r"(?:修复|治理|整治|整改|建设|推进|落实|完成|执行|实施|开展)(?:得|的)(?:怎么样|咋样|如何)了?|"
                      r"(?:修复|治理|整治|整改|建设|推进|落实|完成)(?:怎么样|咋样)了|"
                      r"结果出来了?(?:吗|没|没有)?|结果(?:咋样|怎么样|如何)|(?:排查|检查|调查|监测|查)下来|(?:查|排查|检查)出了?(?:啥|什么|哪些|多少)?(?:问题|什么|哪些|多少)|哪(?:家|些企业|几家)(?:查出|被查|被罚|出了?问题)|"
                      r"\b(?:current|latest) (?:progress|status)\b|\bhow far along\b|\bhas it (?:been )?(?:finished|completed)\b|"
                      r"\bso far\b|\bto date\b|\bright now\b|\bat present\b|"
                      r"\bcurrent(?:ly)? (?!target|goal|plan|law|code|rule|requirement)(?:[\w-]+ ){0,4}(?:ratio|rate|share|level|value|number|percentage|proportion|figure)s?\b|\bactually (?:achiev|reach|us|complet)\w*|(?<!to be )(?<!must be )(?<!should be )(?<!will be )(?<!shall be )\b(?:achieved|reached|recorded|completed|finished|rectified|built|found|inspected) (?:[\w-]+ ){0,3}in 20(?:2[1-9])\b|\blast year'?s? actual|"
                      r"\b(?:last|this) year\b[^.?]{0,40}\b(?:fined?|penali[sz]ed|caught|found|inspected|punished|closed)\b|"
                      r"截至\s*20(?:2[1-9]|3\d)年[^。？?]{0,30}?(?:完成了?多少|完成了?几|多少了|怎么样了?|进展)|"
                      r"\bhow many\b[^.?]{0,40}\balready\b|\balready (?:finished|completed|done|built|achieved)\b|"
                      r"\b(?:fined?|penali[sz]ed|caught|punished)\b[^.?]{0,40}\b(?:last|this) year\b|"
                      # "how many … did Changji eliminate in 2022": a past event in a year after the plan was written
                      r"\b(?:were|was|have been|has been) (?!due\b|required\b|expected\b|supposed\b|planned\b|scheduled\b|"
                      r"set\b|targeted\b|needed\b)\w+ed\b[^?]{0,30}\bin 20(?:2[1-9])\b|"
                      # (not "what did the plan require in 2023", which asks the plan)
                      rf"\bdid\b(?![^?]{{0,80}}\b{_ASKS_THE_PLAN}\b)[^?]{{0,80}}\b(?:in|during) 20(?:2[1-9])\b|"
                      rf"\b(?:in|during) 20(?:2[1-9])\b(?![^?]{{0,80}}\b{_ASKS_THE_PLAN}\b)[^?]{{0,60}}\bdid\b",
                      re.IGNORECASE)
# a share per village, household or person asked for (每个村安排多少, 人均, per village): the plan writes totals
# and rates only, so such a figure exists only where the text says 每/平均
PER_UNIT = re.compile(r"每一?(?:个|家|户|村|人|亩|县|乡|镇|座|口|处)[^，,。？?]{0,14}(?:多少|几|啥)|"
                      r"(?:平均|人均|户均|村均|亩均)[^，,。？?]{0,14}(?:多少|几|啥)|(?:多少|几)[^，,。？?]{0,10}(?:一个村|一户|一个人)|"
                      r"\bper (?:village|household|person|capita|county|mu|hectare|farm|site|township)\b|"
                      r"\b(?:each|every) (?:village|household|county|farm|site|township)\b[^?]{0,60}\bhow (?:much|many)\b|"
                      r"\bhow (?:much|many)\b[^?]{0,60}\b(?:each|every) (?:village|household|county|farm|site|township)\b|"
                      r"\bon average\b", re.IGNORECASE)
# what the plan's own record is about (十三五 results, 2020 and before): "已经完成多少" of that is a fact, not progress
RECORDED_PAST = re.compile(r"十三五|20(?:1\d|20)年|当时|那时|那会")
# who won, builds or carries out a project: the plan assigns bureaux, it names no contractor or bidder
CONTRACTOR = re.compile(r"编制单位|编制机构|哪家(?:机构|公司|单位)(?:编制|编写|起草)|"
                        r"哪家[^，,。？?]{0,14}?(?:公司|机构|院|所)[^，,。？?]{0,3}(?:编|写|起草|做)|"
                        r"\bconsult(?:ing|ancy|ants?)\b|\bdrafted by\b|"
                        r"\bwhich (?:firm|company|institute) (?:drafted|wrote|prepared|compiled)\b|中标|承建|施工(?:单位|方|企业|队)|承包(?:商|方|单位)|招标|投标|建设单位|运营(?:商|方)|"
                        r"哪(?:家|个)(?:公司|企业|单位)[^，,。？?]{0,3}(?:干|做|施工|承接|实施|建|修)|"
                        r"\bcontractors?\b|\bbidders?\b|\bwon the (?:bid|tender|contract)\b|\bbuilt by\b|"
                        r"\bwhich (?:company|firm) (?:did|carried|built|performed|ran)\b", re.IGNORECASE)
# which article a question asks for: 哪一条, 第几条, which provision
ASKS_WHICH_ARTICLE = re.compile(r"哪一?条|第几条|什么条|哪个条文|\bwhich (article|provision)\b", re.IGNORECASE)
# an asking word inside what a question says the plan says makes it a question (规划要求送到哪里), not a premise
ASKS_IN_PREMISE = re.compile(r"哪|什么|多少|吗|谁|啥|时候|几|是否|有没有")
# how long a facility will last (还能用几年, 剩余库容): the plan counts facilities, never their service life
ASKS_LIFETIME = re.compile(r"还能(?:用|使用|撑)(?:几|多少)年|还能(?:用|使用|撑)多久|能用到哪一?年|(?:使用|服务|设计)(?:年限|寿命)|"
                           r"剩余(?:库容|容量|寿命|年限)|\bhow (?:many more years|much longer)\b|"
                           r"\bremaining (?:capacity|life(?:time|span)?|service life)\b|\bservice life\b", re.IGNORECASE)
# a month asked for (几月份弄完的): the plan dates its requirements by year only
ASKS_MONTH = re.compile(r"几月|哪个月|哪一个月|哪月|\b(?:which|what) month\b", re.IGNORECASE)
# the plan document's own making (谁编制的, 编制单位, 哪天印发): the scraped text keeps no title page or issuing notice
PLAN_MAKING = re.compile(r"规划[^，,。？?]{0,4}(?:由|是)?(?:谁|哪个单位|哪个部门|哪家单位|哪个机关)"
                         r"[^，,。？?]{0,4}(?:编制|起草|编写|制定|印发|发布|批准|审批|编|写|做)|"
                         r"(?:编制|起草|编写|印发|发布|发文)(?:单位|机关|组|部门|日期|时间|文号)|"
                         r"规划[^，,。？?]{0,6}(?:什么时候|哪天|哪一天|何时|哪年)[^，,。？?]{0,4}(?:印发|发布|出台|批准|通过)|"
                         r"\bwho (?:drafted|wrote|prepared|issued|approved) (?:the|this) plan\b|\bwhen was (?:the|this) plan (?:issued|published|approved|adopted)\b",
                         re.IGNORECASE)
# whether the plan itself will be revised (规划会不会修订, will Changji revise this plan): the plan says nothing of
# its own revision, whatever law is named beside it
PLAN_REVISION = re.compile(r"(?:规划|这份|本规划)[^，,。？?]{0,8}(?:会不会|会|要不要|需不需要|是否|还|将|打算)[^，,。？?]{0,6}"
                           r"(?:修订|修改|调整|重新编制|重编|更新|改)|(?:修订|修改|调整|重新编制|更新)(?:这份|本)?规划|"
                           r"\b(?:revise|amend|update|redraft|rewrite|redo)\b[^?]{0,20}\b(?:the|this|its) plan\b|"
                           r"\bplan\b[^?]{0,20}\b(?:be|get|being) (?:revised|amended|updated|redrafted)\b|"
                           # its mid-term review: the plan does not say whether or when it is evaluated
                           r"中期评估|中期评价|中期检查|\bmid-?term (?:review|evaluation|assessment)\b", re.IGNORECASE)
CONTACT = re.compile(r"电话|手机|联系方式|邮箱|e-?mail|phone|网址|微信|地址在哪", re.IGNORECASE)
# money named in a question (资金, 补贴多少, fund): a "how much" asked of it wants a figure in 元
MONEY = re.compile(r"预算|资金|投资|经费|多少钱|多少亿|多少万元|投多少|花多少|(?:补贴|补助|补偿|奖补|奖励|赔偿)[^，,。？?]{0,6}多少|"
                   r"多少(?:补贴|补助|补偿)|给了?多少钱|budget|fund|invest|subsid|compensat", re.I)
# the amount of money put into a piece of work (预算, 经费, what budget is allocated), as opposed to how money is
# arranged (资金保障): answered only by a figure in 元 near the work
BUDGET = re.compile(r"预算|经费|拨款|拨了?多少|投入了?多少|花了?多少钱|多少钱|(?:交|缴|付)(?:了)?多少(?:钱|费)?|出多少钱|"
                    r"\bbudget|\ballocat\w*|\bhow much money\b|\bcosts?\b|\bhow much (?:did|does|do|will|would|should)\b[^?]{0,60}\bpay\b|"
                    r"\bfees?\b",
                    re.IGNORECASE)
# data a plan's text does not carry: coordinates, maps, record numbers (坐标, 经纬度, 编号); places are named
SPATIAL_DATA = re.compile(r"坐标|经纬度|GPS|shp文件|点位图|分布图|编号|代码是|点位(?:的)?(?:名称|具体位置)|\bnames? and locations?\b|"
                          r"\bexact (?:locations?|sites?)\b|\bID numbers?\b|\bcoordinates?\b|\blatitude\b|\blongitude\b", re.IGNORECASE)
# places below a county asked by name (哪些乡镇, 哪个村, which villages): answered only by a text naming some
BELOW_COUNTY = re.compile(r"哪(?:些|个|几个|一个)?(?:乡镇|乡|镇|村|街道|社区)(?![振容级庄落民])|"
                          r"\b(?:which|what) (?:towns?|townships?|villages?)\b|\bin which (?:towns?|townships?|villages?)\b",
                          re.IGNORECASE)
# how often something is done (一年测几次, 多久搞一次, how often): answered only by a stated frequency
ASKS_FREQUENCY = re.compile(r"(?<!第)几次|多少次|多久[\u4e00-\u9fff]{0,3}一次|每隔多久|多长时间[\u4e00-\u9fff]{0,3}一次|频次|频率|"
                            r"\bhow often\b|\bhow many times\b|\bhow frequently\b", re.IGNORECASE)
# how often the plan itself names something (财政局出现了几次, mentioned how many times): a count of its
# occurrences in the text, which the outline answers, not the frequency of an activity
MENTION_COUNT = re.compile(r"(?:出现|提到|提及|提|写|列|点名)了?(?:几次|多少次|几回)|\bmentioned how many times\b|"
                           r"\bhow many times (?:is|are|does|do) .{1,40}(?:mentioned|appear|named|listed)", re.IGNORECASE)
# a stated frequency: 每季度, 每十年至少…一次, 两次, 按年度 (not 第二次全国污染源普查, not 一次性, not 定期, which says no number)
FREQUENCY = re.compile(r"每[一二两三四五六七八九十\d]*个?(?:年|季度?|月|周|日|天)|(?<!第)[一二两三四五六七八九十\d]+次(?!性)|"
                       r"按(?:年度|季度|月|年)")
_FREQUENCY_FILLER = re.compile(r"要|得|需要|应当|向社会|做|搞|弄|进行|开展|组织|一下|规定|要求|法律|法规")


def asked_action(question: str) -> list[str]:
    """What a "how often" question asks to be done: 周边的监测多久做一次 -> 监测, 多久报一次 -> 报,
    一年要测几次 -> 测, 多久要向社会公开一次 -> 公开 (做 / 搞 / 开展 / 规定 say nothing); [] for English or
    when nothing is named."""
    before = re.search(r"([\u4e00-\u9fff]{2})(?=(?:要|得|需要|应当)?(?:多久|多长时间|每隔多久|几次|多少次))", question)
    between = re.search(r"(?:多久|多长时间|每隔多久)([\u4e00-\u9fff]{1,8}?)一次", question)
    done = _FREQUENCY_FILLER.sub("", between.group(1)) if between else ""
    if done:  # the act said between 多久 and 一次 (报, 公开) is what is asked; else the word before 多久 (监测)
        return [done]
    named = _FREQUENCY_FILLER.sub("", before.group(1)) if before else ""
    return [named] if named else []


# which one ranks first (哪一段污染最重, 哪个县完成得最差, which county is worst): the plan compares and ranks nothing
ASKS_RANKING = re.compile(r"哪[^，,。？?]{0,10}?最(?:严重|重|差|突出|大|多|高|好|少|低|快|慢|强|弱)|"
                          r"\bwhich\b[^?]{0,40}\b(?:worst|best|most polluted|largest|biggest|highest|lowest|most)\b",
                          re.IGNORECASE)
# a county asked for by name (建在哪个县, which counties): answered only by evidence that names one
ASKS_COUNTY = re.compile(r"哪(?:个|些|几个|一个)?县(?:市|区)?|\b(?:which|what) count(?:y|ies)\b|\bin which county\b|"
                         r"\bwhere (?:exactly )?(?:will|would|is|are|was|were|should)\b[^?]{0,60}\b(?:built|located|sited|set up|placed)\b",
                         re.IGNORECASE)
# the prefecture's counties and cities as the plan names them (some with their 县 / 市, some without)
COUNTY_NAMED = re.compile(r"昌吉市|阜康|呼图壁|玛纳斯|奇台|吉木萨尔|木垒|准东|各县|县[(（]市[)）]")  # …集中的县(市): a kind of county
# a measure asked by its name (日供水量是多少, 考核分数多少分): a plan that never names the measure has no figure for it
# (面积, 总数 are said of anything: 禁养区1111.76平方公里 answers 禁养区总面积; only named measures count)
MEASURE_ASKED = re.compile(r"([\u4e00-\u9fff]{1,6}(?:量|分数|得分|排名|名次|人口|产值|浓度|密度|户数|人数))"
                           r"(?:是|有|为|达到|一共|总共|大概|大约|约)?(?:多少|几)")
# a quantity asked in a unit: 多少亩, 几个, how many tonnes
UNIT_ASKED = re.compile(r"(?:多少|(?<![这那])几)(万?(?:亩|公顷|平方公里|平方米|千克|公斤|吨|立方米|立方|方(?![面案式法向针位])|千米|公里|(?<![平立])米|"
                        r"元|万元|亿元|个|家|座|处|条|口|所|台|套|人|名|村|户|小时|天))")
# what a unit is also written as in the plan (多少方 is answered by a figure in 立方米), as patterns:
# 方 of 方面 / 方案 is no unit
UNIT_SYNONYMS = {"方": ("立方米", "方(?![面案式法向针位])"), "立方": ("立方米", "立方"), "公斤": ("公斤", "千克"),
                 "千克": ("千克", "公斤"), "公里": ("公里", "千米"), "千米": ("千米", "公里")}
_FIGURE = r"(?:[0-9０-９][0-9０-９.]*|[零一二两三四五六七八九十百千]+)(?:余|多)?[万亿]?"


# the noun phrase a quantity ask is said of: "全州耕地总面积是多少亩" -> 全州耕地总面积 (only with 是 / 为 / 有:
# "一共发现多少个", "回收了多少吨" put a verb, not what is measured, before the ask)
_MEASURED = re.compile(r"([\u4e00-\u9fff]{2,16}?)(?:一共|总共|累计|共)?(?:是|为|有)"
                       r"(?:多少(?=万?(?:亩|公顷|吨|立方米|个|家|座|处|元|万元|亿元|%|[？?，,。]|$))|(?<![这那哪])几[个家座处项吨亩])")
# "多少亩永久基本农田": the unit first, then what is measured, at the question's end
_MEASURED_AFTER = re.compile(r"(?:多少|几)万?(?:亩|公顷|平方公里|吨|立方米)([\u4e00-\u9fff]{3,10}?)(?:[？?，,。吗呢]|$)")
# "限养区划了多少平方公里": what was marked out or built comes before the verb
_MEASURED_MARKED = re.compile(r"([\u4e00-\u9fff]{3,8}?)(?:划定?了?|建成?了)(?:多少|几)万?(?:亩|公顷|平方公里|平方米|公里|千米)")
# the plan's own region, which every paragraph is about: no evidence of what is measured
OWN_REGION = re.compile(r"昌吉回族自治州|昌吉州|昌吉|全州|州里|全州范围内?|我州|本州")


def measured(question: str) -> str:
    """What a "how many / how much" question measures, without the plan's region and time words: the words
    right before 多少 / 几个 after the last 的 or comma (耕地总面积); '' when none."""
    m = _MEASURED.search(question)
    if not m:
        after = _MEASURED_AFTER.search(question)  # 划了多少亩永久基本农田: what is measured follows the unit
        if after:
            return after.group(1)
        marked = _MEASURED_MARKED.search(question)  # 那限养区划了多少平方公里: a place marked out, then its size
        return re.sub(r"^(?:那|这|那个|这个)", "", marked.group(1)) if marked else ""
    words = re.split(r"[的，,、]", m.group(1))[-1]
    words = OWN_REGION.sub("", words)
    # where in the document the figure is said (地下水那章里说…, 规划里提到的) is not what is measured
    words = re.sub(r"^.*?(?:章|部分|节|篇|规划|文件|文中|原文)(?:(?:里|中|内|上)面?(?:说|提到?|讲|写)?|说|提到|讲|写)的?",
                   "", words)
    words = re.sub(r"^(?:年|月|十[三四]五(?:期间|末|时期)?|目前|现在|当时|截至|到)+", "", words)
    words = re.sub(r"(?:具体|大概|大约|到底|实际|究竟|一共|总共|累计)+$", "", words)
    return words if len(words) >= 3 and not re.search(r"[了来到过出]$", words) else ""


def without_years(text: str) -> str:
    """The text with its dates' years blanked (到2035年 -> 到年): a year is no answer to 多少 / 多大."""
    return re.sub(r"(?<!\d)(?:19|20)\d\d(?=\s*年)", "", text)


def unit_asked(text: str) -> str:
    """The unit a "how many" question wants (多少亩 -> 亩; money -> 元), '' when none is named."""
    if re.search(r"多少种", text):  # 清单里有多少种: kinds counted (哪几种 names them, it counts nothing)
        return "种"
    m = UNIT_ASKED.search(text)
    if m:
        unit = m.group(1)
        return unit[1:] if unit.startswith("万") and len(unit) > 1 else unit
    if MONEY.search(text):
        return "元"
    lowered = text.lower()
    if "how many" not in lowered:
        return ""
    named = next((zh for en, zh in ENGLISH_UNITS.items() if re.search(rf"\b{en}(?:s|es|re|res|er|ers)?\b", lowered)), "")  # mu, not mulch
    # "how many toilets": things counted, so a count answers it, not a rate or a year (any counter, see
    # unit_pattern) -- when it is the only thing asked ("how many…, and by when…" asks a date as well)
    alone = not re.search(r"\b(?:what|which|who|whom|when|where|why|whether)\b", lowered.split("how many", 1)[1]) \
        and not re.search(r"多少|几|什么|哪|吗|是否", text)  # a reading joined to a Chinese question asks in it as well
    return named or ("个" if alone else "")


# counters of discrete things: the plan writes 畜禽养殖场61个 where an official asks 多少家, and 7县(市) for 几个县市
COUNTERS = "个家座处所"


def unit_pattern(unit: str, question: str = "", alike: bool = True) -> str:
    """A pattern for the ways a figure in ``unit`` is written: the unit's synonyms; for a counter (unless ``alike``
    is off), any counter or the noun counted right after it in the question (几个县市 -> 7县)."""
    if alike and unit and unit in COUNTERS:
        if question and not re.search(r"[\u4e00-\u9fff]", question):  # English "how many": any thing counted
            return f"[{COUNTERS}县市村户项条次人]"
        counted = re.search(rf"(?:多少|几){unit}([\u4e00-\u9fff])", question)
        return f"[{COUNTERS}]" + (f"|{re.escape(counted.group(1))}" if counted else "")
    return "|".join(UNIT_SYNONYMS.get(unit, (re.escape(unit),)))


def items_in(run: str) -> int:
    """Items a 、-separated run enumerates: "A、B和C" and "A、B以及C" are three, "A、B" two; a law's list
    （一）…（二）… counts its numbered items."""
    numbered = len(re.findall(r"（[一二三四五六七八九十]+）", run))
    parts = run.split("、")
    if len(parts) >= 2 and re.search(r".(?:和|及|以及|与|或者)[^和及与或]", parts[-1]):
        return max(numbered, len(parts) + 1)
    return max(numbered, len(parts))


def states_figure_in(text: str, unit: str, question: str = "", alike: bool = True) -> bool:
    """Whether ``text`` gives any number in ``unit`` (or a synonym, or for a counter as ``unit_pattern`` reads
    the question): 7座, 14.53万吨, 六个, 7县 for 几个县."""
    return bool(re.search(f"{_FIGURE}(?:{unit_pattern(unit, question, alike)})", text))
def figure_clauses(text: str, unit: str, question: str = "") -> list[str]:
    """The clauses (between commas and stops) of ``text`` that give a number in ``unit``: what each figure is a
    figure of is said in its own clause (化肥施用量14.53万吨, 7座城镇生活垃圾填埋场; 规划范围:…5县2市 is one)."""
    return [c for c in re.split(r"[，,；;。]", text) if states_figure_in(c, unit, question)]


# “一住两公”(住宅、公共管理与公共服务用地) / “一企一库”“两场两区”(即…): a quoted term and its explanation
DEFINED_TERM = re.compile(r"“[^”]{1,12}”(?:“[^”]{1,12}”)*\s*[(（][^()（）]{2,80}[)）]")
# why the plan chose a figure, a scope or an omission (为什么定这么高, 为啥不包括X, why only 90%): the plan states
# its requirements, never the reasons for their size or their bounds
WHY_CHOSEN = re.compile(r"(?:为什么|为啥|为何|凭什么|怎么就)[^，,。？?]{0,30}?(?:定|设|只|不包括|不含|没有|没把|这么|那么|\d|"
                        r"挑|选|列为|列入|当成?|作为|偏偏|牵头|参与|负责|而不是)|"
                        r"\bwhy\b[^.?]{0,60}?\b(?:only|not|set|so (?:high|low)|exclud\w*|leaves?|left|omit\w*|\d)", re.IGNORECASE)
# a rate the plan names (农村生活污水治理率, 安全利用率): its last three characters (利用率) identify it
RATE_TERM = re.compile(r"[\u4e00-\u9fff]{2,8}率")
# parts of a plan document named by their kind (附表, 重大工程项目清单): one the held text lacks was lost with the
# scrape's missing end, so a question about it has no answer here, however near a paragraph's words come
PLAN_PART = re.compile(r"附件|附表|附录|重大工程|重点工程|工程项目|项目清单|工程清单|项目库|投资估算|资金估算|"
                       r"第[五六七八九十]章|最后一章|结束语|结语|\bannex\b|\bappendix\b|\bmajor projects?\b", re.IGNORECASE)
# units of Changji's own organisation the plan never names (兵团第六师): a question about one is out of scope
OTHER_UNIT = re.compile(r"兵团|第[一二三四五六七八九十]+师|\d+团场?")
ENGLISH_UNITS = {"kilogram": "千克", "kg": "千克", "mu": "亩", "hectare": "公顷", "tonne": "吨", "ton": "吨", "yuan": "元", "kilomet": "公里",
                 "staff": "人", "people": "人", "person": "人", "employee": "人", "worker": "人", "inspector": "人"}


# English words that ask or refer, never a subject ("what rate did it reach")
_EN_GENERIC = set("""and the what which who when where how does did do is are was were has have had been be will would
should could can may must shall this that these those there their them they its it for from with into onto about
under over than then also only just much many more most some any each every other such same own reach reached
reaching rate rates target targets plan plans task tasks bureau bureaus lead leads department value figure number
year years percent percentage level amount total required requirement achieve achieved according fyp five
period during end by of to in on at as or an a""".split())


def english_subject(text: str) -> list[str]:
    """The content words of an English question (sludge, municipal): what it is about, glossary or not."""
    return [w for w in re.findall(r"[a-z][a-z-]{2,}", text.lower()) if w not in _EN_GENERIC]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split after 。 ； ; ！ ？."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    return spans or [(0, len(text))]


def is_english(text: str) -> bool:
    """Mostly Latin letters: answered with the glossary's Chinese terms and a heavier dense ranking."""
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return letters > len(text) * 0.4


def years_in(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(text)]

# nouns that ask about a subject rather than name one (参与单位呢？ / 具体要求呢？ / 负责人叫什么名字？)
GENERIC_NOUNS = re.compile(r"^(单位|部门|要求|内容|情况|工作|措施|任务|时间|期限|时限|进度|数值|数字|比例|指标|目标|条款|条文|法律|法规|"
                           r"名字|负责人|具体|项目|方面|问题|规定|原文|依据|来源|出处|文件|数据|规划|基期|基数|属性|类别|章节|部分|事项|举措|时候|阶段|时期|状态|程度|样子|表里)$")
