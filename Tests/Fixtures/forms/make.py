"""Writes the hand-made fixtures of issue 12 (run from anywhere; needs LibreOffice, pdftoppm
and ImageMagick only for the PDFs): a Word file with headings, a table and line breaks built
with Python's zipfile, a two-column PDF page and a scanned page (LibreOffice, pdftoppm,
ImageMagick), a Big5 issue, text full of what normalisation removes, and bad input: a corrupt
ZIP named .docx, an encrypted PDF, a truncated PDF, a web page with no article text, bytes of
no known encoding. Figure statements of the Big5 issue are as the public pages printed them
(SOURCES.md); the rest of the text is ours.
"""
import base64, os, shutil, subprocess, tempfile, uuid, zipfile

here = os.path.dirname(os.path.abspath(__file__))
bad = os.path.join(here, "bad")

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

def para(text, style=None, bold=False):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

def cell(*paragraphs):
    return "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>" + "".join(para(p) for p in paragraphs) + "</w:tc>"

def row(*cells):
    return "<w:tr>" + "".join(cells) + "</w:tr>"

body = "".join([
    para("国资简报 2024年第3期"),
    para("2024年3月15日"),
    para("经营情况", style="Heading1"),
    para("一季度市属企业经营情况", bold=True),
    '<w:p><w:r><w:t>一季度，市属企业实现营业收入1200.5亿元，同比增长6.2%。</w:t></w:r>'
    '<w:r><w:br/></w:r><w:r><w:t>利润总额</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>88.6亿元</w:t></w:r>'
    '<w:r><w:t>，同比增长4.1%。</w:t></w:r></w:p>',
    "<w:tbl><w:tblPr/>" + row(cell("指标"), cell("一季度"), cell("同比")) +
    row(cell("营业收入"), cell("1200.5亿元"), cell("增长6.2%")) +
    row(cell("利润", "总额"), cell("88.6亿元"), cell("增长4.1%")) + "</w:tbl>",
    '<w:p><w:r><w:t>各企业要巩固回升势头。</w:t></w:r><w:del><w:r><w:delText>删去的文字</w:delText></w:r></w:del>'
    '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>（市国资委）</w:t></w:r></w:p>',
    para("改革动态", style="Heading1"),
    para("两家集团完成重组"),
    para("两家市属集团完成联合重组，重组后资产总额超过3000亿元。（市国资委改革处）"),
    '<w:sectPr/>',
])
document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{body}</w:body></w:document>'
types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
with zipfile.ZipFile(os.path.join(here, "2024-03-15-table.docx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", types)
    z.writestr("_rels/.rels", rels)
    z.writestr("word/document.xml", document)

# A Big5 issue (traditional characters, as Hong Kong and Taiwan pages print them).
big5 = """國資簡報 2014年第7期
2014年7月17日
· 經濟運行
上半年中央企業效益穩中有升
國資委昨日公布數據顯示，今年上半年中央企業累計實現營業收入12萬億元，同比增長5.1%；累計實現利潤總額6,740.1億元，同比增長5.5%。
上半年各項指標的增幅較一季度有所加快。（國資委）
前7個月央企收入較快增長
今年前7個月，中央企業累計實現營業收入91458.1億元，同比增長42.4%。1-7月，央企累計實現利潤6188.6億元，同比增長54.3%。（國資委財務監督與考核評價局）
"""
with open(os.path.join(here, "2014-07-17-big5.txt"), "wb") as f:
    f.write(big5.encode("big5"))

# Normalisation: Kangxi radicals (⼀⼈ U+2F00 U+2F08), a compatibility ideograph (U+F9B5 例),
# no-break and zero-width spaces, a soft hyphen, a stray escape and a form feed.
norm = ("國資簡報 2024年第1期\n· 重要动态\n\u2f00季度\u2f08才工作会\u200b议\n"
        "本市\u00a0国企\u2060实现营业收入\u00ad1.2万亿元，同比增长5%\u001b。\u000c"
        "会议\uf9b5行部署了全年工作。（市国资委）\n")
with open(os.path.join(here, "2024-01-normalise.txt"), "wb") as f:
    f.write(norm.encode("utf-8"))

# Bad input.
with open(os.path.join(bad, "corrupt.docx"), "wb") as f:
    f.write(b"PK\x03\x04" + bytes(range(256)) * 4)
with open(os.path.join(bad, "unknown-encoding.txt"), "wb") as f:
    f.write(bytes([0x80, 0xFF, 0x41, 0xFF, 0x80, 0x0A]) * 200)
with open(os.path.join(bad, "no-article.html"), "w", encoding="utf-8") as f:
    f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>栏目首页 - 国资信息网</title></head>'
            '<body><ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">要闻</a></li></ul>'
            '<h1>栏目首页</h1><ul><li><a href="1.html">文章一</a></li><li><a href="2.html">文章二</a></li></ul>'
            '<div class="footer">版权所有</div></body></html>')

def soffice(src, target, out):
    profile = tempfile.mkdtemp(prefix="jianbao-lo-")
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", target, "--outdir", out, src], check=True, capture_output=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)

work = tempfile.mkdtemp(prefix="jianbao-forms-")
try:
    # Two columns: a flat ODT whose section has two columns.
    left = ["国资简报 2024年第5期", "· 重要动态", "市属企业一季度开局平稳"] + [
        "一季度，市属企业实现营业收入1200.5亿元，同比增长6.2%，利润总额88.6亿元，同比增长4.1%，"
        "主要指标好于全国平均水平，为全年目标打下了基础。（市国资委）",
        "科技创新投入持续加大",
        "一季度，市属企业研发投入48.3亿元，同比增长12.5%，研发投入强度进一步提高，"
        "一批关键核心技术攻关项目取得阶段性进展。（市国资委科创处）",
        "· 国企之窗", "港口集装箱吞吐量保持增长",
        "一季度，港口完成集装箱吞吐量1180万标准箱，同比增长5.6%，其中国际航线箱量占比超过八成，"
        "航线网络进一步加密，服务长三角外贸企业的能力不断增强。（港口集团）",
        "机场旅客吞吐量恢复较快",
        "一季度，两场共保障航班起降18.2万架次，旅客吞吐量2460万人次，同比分别增长21.3%和35.8%，"
        "国际及地区航线恢复至疫情前的七成以上。（机场集团）",
        "地铁网络运营里程再创新高",
        "新线开通后，全市轨道交通运营里程达到831公里，日均客运量1020万人次，"
        "高峰时段最小行车间隔缩短至1分50秒。（地铁集团）",
        "· 改革动态", "三家集团完成重组整合",
        "三家市属集团完成重组整合，整合后资产总额超过3000亿元，主业更加突出，"
        "管理层级压缩至三级以内，运营效率明显提升。（市国资委改革处）",
    ]
    paras = "".join(f'<text:p text:style-name="P">{t}</text:p>' for t in left)
    fodt = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="Sect" style:family="section"><style:section-properties>
  <style:columns fo:column-count="2" fo:column-gap="1cm"/></style:section-properties></style:style>
 <style:style style:name="P" style:family="paragraph"><style:text-properties fo:font-size="11pt"
  style:font-name-asian="Noto Sans CJK SC"/></style:style>
</office:automatic-styles>
<office:body><office:text><text:section text:style-name="Sect" text:name="S">{paras}</text:section></office:text></office:body>
</office:document>"""
    src = os.path.join(work, "2024-05-two-columns.fodt")
    with open(src, "w", encoding="utf-8") as f:
        f.write(fodt)
    soffice(src, "pdf", here)

    # A scan: a page of that PDF rendered to an image and put back into a PDF without text.
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", os.path.join(here, "2024-05-two-columns.pdf"),
                    os.path.join(work, "page")], check=True)
    png = base64.b64encode(open(os.path.join(work, "page.png"), "rb").read()).decode()
    scan = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text><text:p><draw:frame svg:width="17cm" svg:height="24cm" text:anchor-type="paragraph">
<draw:image><office:binary-data>{png}</office:binary-data></draw:image></draw:frame></text:p></office:text></office:body>
</office:document>"""
    scan_src = os.path.join(work, "scanned.fodt")
    with open(scan_src, "w", encoding="utf-8") as f:
        f.write(scan)
    soffice(scan_src, "pdf", here)

    # Encrypted: LibreOffice's PDF export with an open password.
    opts = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    enc_src = os.path.join(work, "encrypted.fodt")
    shutil.copy(src, enc_src)
    soffice(enc_src, opts, bad)

    # Truncated: the first 40% of the two-column PDF.
    data = open(os.path.join(here, "2024-05-two-columns.pdf"), "rb").read()
    with open(os.path.join(bad, "truncated.pdf"), "wb") as f:
        f.write(data[: len(data) * 2 // 5])
finally:
    shutil.rmtree(work, ignore_errors=True)
