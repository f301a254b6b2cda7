"""Writes the hand-made per-article web pages (two site layouts) from the texts below.

Figure statements are kept as the public pages printed them (addresses in SOURCES.md); titles
and the sentences around them are ours. Layout A is a government site (UTF-8, <h1>, a meta
ColumnName, an information line 发布时间/来源, navigation and footer); layout B a news site saved
from a Windows browser (GB18030 bytes declared gb2312, no <h1>: the title is <title> before
"_site", a breadcrumb names the column, a share bar and related links around the text).
Run: python3 Tests/Fixtures/web/make-pages.py
"""
import html, os

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")

A = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="ColumnName" content="{column}">
<meta name="PubDate" content="{meta_date}">
<title>{title} - 国资信息网</title>
<script>document.write('<p>脚本里的文字不是正文</p>');</script>
<style>.nav li {{ display: inline }}</style>
</head><body>
<div class="header"><a href="/">国资信息网</a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/yw">要闻</a></li><li><a href="/sj">数据发布</a></li></ul>
<div class="main">
<h1>{title}</h1>
<div class="info">发布时间：{date}&nbsp;&nbsp;来源：{source}&nbsp;&nbsp;字号：[大 中 小]</div>
<div id="content">
{paragraphs}
</div>
<div class="print">【打印本页】【关闭窗口】</div>
</div>
<div class="footer"><p>版权所有：国资信息网　ICP备案号 0000000</p><p>联系我们 | 网站地图</p></div>
</body></html>
"""

B = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}_经济新闻网</title>
</head><body>
<table width="100%"><tr><td class="logo">经济新闻网</td><td class="search"><form><input name="q"><button>搜索</button></form></td></tr></table>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/gz">{column}</a> &gt; 正文</div>
<div class="article">
<div class="title" style="font-size:22px"><b>{title}</b></div>
<div class="source">{date}　来源：{source}</div>
<div class="text">
{paragraphs}
</div>
<div class="editor">责任编辑：经济新闻网</div>
<div class="share">分享到：微信 微博</div>
<div class="related"><p>相关新闻</p><ul><li><a href="#">国企改革三年行动</a></li></ul></div>
</div>
<div id="footer">经济新闻网 版权所有</div>
</body></html>
"""

pages = [
    ("a-2019-06-21.html", A, "utf-8", dict(
        title="前5个月国有企业主要指标保持增长", column="数据发布", date="2019-06-21", meta_date="2019-06-21",
        source="财政部",
        paragraphs=[
            "财政部发布前5个月全国国有及国有控股企业经济运行情况，收入和利润继续增长，利润增速略有回落。",
            "1-5月，国有企业营业总收入237730.0亿元，同比增长7.7%。其中，中央企业138026.3亿元，同比增长6.3%；地方国有企业99703.7亿元，同比增长9.8%。",
            "1-5月，国有企业利润总额13929.0亿元，同比增长8.7%。5月末，国有企业资产负债率64.5%，降低0.2个百分点。",
        ])),
    ("a-2019-10-28.html", A, "utf-8", dict(
        title="前三季度国有企业营业总收入继续增长", column="数据发布", date="2019年10月28日 08:53", meta_date="",
        source="财政部",
        paragraphs=[
            "前三季度全国国有企业经济运行数据公布，主要指标延续增长态势。",
            "1-9月，国有企业营业总收入448908.8亿元，同比增长7.1%。中央企业260132.6亿元，同比增长5.5%。",
            "1-9月，国有企业利润总额27163.0亿元，同比增长6.6%。9月末，国有企业资产负债率64.4%，下降0.1个百分点。",
        ])),
    ("a-2019-12-25.html", A, "utf-8", dict(
        title="1-11月国有企业应交税费继续下降", column="经济运行", date="2019/12/25 13:40", meta_date="2019-12-25",
        source="财政部",
        paragraphs=[
            "从11月的月报看，国有企业收入和利润稳中有增，税费负担进一步减轻。",
            "1-11月，国有企业营业总收入557455.3亿元，同比增长6.4%。",
            "1-11月，国有企业应交税费41297.4亿元，同比下降0.4%。",
        ])),
    ("b-2013-07-17.html", B, "gb18030", dict(
        title="上半年国有企业利润增幅逐月扩大", column="国资动态", date="2013-07-17 09:12",
        source="中国经济网",
        paragraphs=[
            "今年二季度以来，国有企业效益回升的势头较为明显。",
            "今年1—6月，全国国有及国有控股企业累计实现营业总收入219504.9亿元，同比增长10.7%；实现利润总额11129.6亿元，同比增长7%。",
            "1—4月利润同比增长5.3%，1—5月利润同比增长6.5%，1—6月利润同比增长7%。",
        ])),
    ("b-2019-07-30.html", B, "gb18030", dict(
        title="上半年市国有企业资产总额稳步增长", column="国资动态", date="2019-07-30",
        source="河北新闻网",
        paragraphs=[
            "市国资委日前通报了上半年全市国有企业的经营情况，规模和效益都有提升。",
            "今年上半年，市国有企业资产总额3881.10亿元，同比增长11.27%。营业收入235.84亿元，同比增长7.15%。实现利润4.39亿元，同比增长39.17%。",
        ])),
    ("b-undated.html", B, "gb18030", dict(
        title="市属国企前5个月主要指标两位数增长", column="国资动态", date="",
        source="广州市国资委",
        paragraphs=[
            "市属国企开局平稳，前5个月的财务快报显示主要指标增长较快。",
            "1-5月实现营业收入3,712.1亿元，同比增长30.8%；实现利润总额326.2亿元，同比增长31.5%。",
        ])),
]

for name, layout, encoding, fields in pages:
    fields = dict(fields)
    fields["paragraphs"] = "\n".join(f"<p>　　{html.escape(p)}</p>" for p in fields["paragraphs"])
    for key in ("title", "column", "source"):
        fields[key] = html.escape(fields[key])
    with open(os.path.join(here, name), "wb") as f:
        f.write(layout.format(**fields).encode(encoding))
