#!/usr/bin/env python3
"""Writes a deterministic archive of bulletin issues in FORMAT.md's format, for benchmarks.

    Scripts/generate-archive.py OUT_DIR [--issues N] [--seed S]

The same N and seed always give the same bytes. Issues go into one folder per year with
the date in the file name (several of FORMAT.md's patterns), about 16 KB each like the
seed issue, with realistic variety: the four marker styles, titles of one to three lines,
sub-headings, sources in full-width and ASCII parentheses with 来源：/供稿： and several
organisations, figures in the forms FORMAT.md lists, BOM, CRLF and U+3000 indentation in
some files, and now and then an article without a source.
"""
import argparse
import os
import random

SECTIONS = ["重要动态", "金融工作", "国企之窗", "改革发展", "党建工作", "科技创新", "区域合作", "安全生产"]
ORGS = ["上海市国资委", "上海国际集团", "长三角投资公司", "机场集团", "临港集团", "上港集团", "久事集团",
        "申通地铁集团", "光明食品集团", "百联集团", "上汽集团", "华谊集团", "电气集团", "建工集团",
        "城投集团", "浦东创投集团", "张江高科", "上海科创基金", "东方国际集团", "锦江国际集团",
        "国盛集团", "地产集团", "仪电集团", "上海医药集团", "绿地控股", "隧道股份", "外高桥集团"]
SUBJECTS = ["本市地方国有企业", "市属企业", "市国资委系统企业", "区属国有企业", "集团公司", "园区企业"]
METRICS = [("营业收入", "亿元"), ("利润总额", "亿元"), ("归母净利润", "亿元"), ("资产总额", "万亿元"),
           ("研发投入", "亿元"), ("固定资产投资", "亿元"), ("客流量", "万人次"), ("航班量", "万架次"),
           ("集装箱吞吐量", "万标准箱"), ("基金规模", "亿元"), ("税收贡献", "亿元"), ("出口额", "亿美元"),
           ("建筑面积", "万平方米"), ("销量", "万辆"), ("发电量", "亿千瓦时")]
COUNTED = [("家", "科创企业"), ("个", "重点项目"), ("处", "服务网点"), ("项", "关键技术"), ("名", "技术骨干"),
           ("座", "智慧园区"), ("条", "国际航线"), ("户", "中小微企业")]
VERBS = ["推进", "深化", "加快", "完善", "强化", "拓展", "优化", "提升", "落实", "统筹"]
OBJECTS = ["国企改革深化提升行动", "科技创新体系建设", "现代公司治理", "产业链供应链协同", "数字化转型",
           "绿色低碳发展", "风险防控体系", "投资运营公司改革", "存量资源盘活利用", "长三角一体化合作",
           "营商环境建设", "人才队伍建设", "国资监管体系", "战略性新兴产业布局", "城市更新项目",
           "科创金融服务", "“投早投小投科技”", "硬科技企业孵化", "重大工程建设", "民生保障工作"]
CLAUSES = ["坚持稳中求进工作总基调", "围绕中心服务大局", "聚焦主责主业", "发挥国有经济战略支撑作用",
           "着力增强核心功能", "提高核心竞争力", "强化价值创造导向", "加强党的领导和党的建设",
           "推动高质量发展取得新成效", "服务国家战略和城市发展", "以科技创新引领产业升级",
           "持续优化国有资本布局", "进一步激发企业活力", "打通科技产业金融良性循环"]
HEAD_WORDS = ["召开", "启动", "发布", "签约", "上线", "揭牌", "举办", "完成", "推出", "建成"]
SUBHEADS = ["一、总体情况", "二、主要做法", "三、下一步安排", "聚焦主业 做强实业", "科技赋能 创新发展",
            "深化改革 激发活力", "优化服务 提升体验", "守牢底线 防范风险"]


def number(r, unit):
    if unit.startswith("万亿"):
        return f"{r.uniform(1, 40):.2f}"
    if r.random() < 0.15:
        return f"{r.randint(1, 9)},{r.randint(0, 999):03d}"
    return f"{r.uniform(1, 3000):.{r.choice([0, 1, 2])}f}"


def figure_sentence(r, year):
    metric, unit = r.choice(METRICS)
    change = r.choice(["同比增长", "同比下降", "增长"]) + f"{r.uniform(0.1, 40):.1f}%"
    if r.random() < 0.1:
        change = "同比基本持平"
    lead = r.choice([f"{year}年，", f"截至{year}年底，", "今年以来，", "1至9月，", "上半年，", ""])
    qualifier = r.choice(["", "", "约", "超过", "累计", "达到"])
    text = f"{lead}{r.choice(SUBJECTS)}实现{metric}{qualifier}{number(r, unit)}{unit}，{change}"
    if r.random() < 0.3:
        m2, u2 = r.choice(METRICS)
        text += f"；{m2}{number(r, u2)}{u2}，同比增长{r.uniform(0.1, 20):.1f}%"
    if r.random() < 0.3:
        measure, noun = r.choice(COUNTED)
        text += f"，新增{r.randint(3, 900)}{measure}{noun}"
    return text + "。"


def prose_sentence(r):
    parts = [r.choice(CLAUSES), r.choice(VERBS) + r.choice(OBJECTS)]
    if r.random() < 0.5:
        parts.append(r.choice(VERBS) + r.choice(OBJECTS))
    if r.random() < 0.08:
        parts.append("加快建设上海国际科创中心")
    return "，".join(parts) + r.choice(["。", "。", "。", "；"])


def paragraph(r, year):
    sentences = [figure_sentence(r, year) if r.random() < 0.3 else prose_sentence(r) for _ in range(r.randint(2, 6))]
    text = "".join(sentences)
    if not text.endswith("。"):
        text = text[:-1] + "。"
    return text


def source(r):
    orgs = r.sample(ORGS, 1 if r.random() < 0.85 else r.randint(2, 3))
    sep = r.choice(["、", "，", "/"])
    inner = sep.join(orgs)
    if r.random() < 0.1:
        inner = r.choice(["来源：", "供稿："]) + inner
    return f"({inner})" if r.random() < 0.1 else f"（{inner}）"


def article(r, year):
    org = r.choice(ORGS)
    title = [f"{org}{r.choice(VERBS)}{r.choice(OBJECTS)}"]
    if r.random() < 0.45:
        title.append(f"{r.choice(HEAD_WORDS)}{r.choice(OBJECTS)}新举措")
    if r.random() < 0.1:
        title.append(f"{year}年{r.choice(OBJECTS)}取得新进展")
    lines = list(title)
    for i in range(r.randint(2, 9)):
        if i > 0 and r.random() < 0.12:
            lines.append(r.choice(SUBHEADS))
        lines.append(paragraph(r, year))
    if r.random() < 0.97:
        lines[-1] += source(r)
    return lines


def issue(r, year, month, number_in_year):
    marker = r.choice(["· {}", "·{}", "• {}", "● {}", "【{}】"])
    lines = [f"国资简报 {year}年第{number_in_year}期", f"{year}年{month}月{r.randint(1, 28)}日"]
    size = 0
    sections = r.sample(SECTIONS, r.randint(2, 4))
    si = 0
    while size < 13000 or si < len(sections):
        name = sections[si % len(sections)] if si < len(sections) else r.choice(SECTIONS)
        si += 1
        lines.append(marker.format(name))
        for _ in range(r.randint(1, 3)):
            body = article(r, year)
            lines.extend(body)
            lines.append("")
            size += sum(len(l.encode()) for l in body)
    indent = "\u3000\u3000" if r.random() < 0.1 else ""
    text = "\n".join(indent + l if l and not l.startswith(("·", "•", "●", "【")) else l for l in lines) + "\n"
    if r.random() < 0.1:
        text = text.replace("\n", "\r\n")
    data = text.encode()
    if r.random() < 0.05:
        data = b"\xef\xbb\xbf" + data
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--issues", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20240208)
    args = parser.parse_args()
    r = random.Random(args.seed)
    total = 0
    for i in range(args.issues):
        year = 2000 + i // 400
        n = i % 400 + 1
        month = (n - 1) * 12 // 400 + 1
        day = (n * 7) % 28 + 1
        name = r.choice([f"{year}-{month:02d}-{day:02d}_{n:03d}", f"{year}{month:02d}{day:02d}_{n:03d}",
                         f"简报{year}年第{n}期", f"{year}年{month}月{day}日_{n:03d}"])
        folder = os.path.join(args.out, str(year))
        os.makedirs(folder, exist_ok=True)
        data = issue(r, year, month, n)
        total += len(data)
        with open(os.path.join(folder, name + ".txt"), "wb") as f:
            f.write(data)
    print(f"wrote {args.issues} issues, {total} bytes, to {args.out}")


if __name__ == "__main__":
    main()
