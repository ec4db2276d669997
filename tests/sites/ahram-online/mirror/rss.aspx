<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>Ahram Online - Egypt</title>
<link>https://english.ahram.org.eg/</link>
<description>Ahram Online latest news</description>
<language>en-us</language>
<item>
<title>Egypt and Sudan agree on joint Nile flood warning system</title>
<link>https://english.ahram.org.eg/NewsContent/1/64/556120/Egypt/Politics-/Egypt-and-Sudan-agree-on-joint-Nile-flood-warning.aspx</link>
<description>Irrigation ministers from both countries signed a memorandum in Cairo on Tuesday</description>
<pubDate>Tue, 24 Nov 2026 12:15:00 +0200</pubDate>
</item>
<item>
<title>Egypt's non-oil exports rise in the third quarter</title>
<link>https://english.ahram.org.eg/NewsContent/3/12/550001/Business/Economy/Egypts-nonoil-exports-rise-in-the-third-quarter.aspx</link>
<pubDate>Thu, 08 Oct 2026 14:00:00 +0200</pubDate>
</item>
</channel>
</rss>
