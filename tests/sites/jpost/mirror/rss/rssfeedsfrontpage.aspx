<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Jerusalem Post - Front Page</title>
    <link>https://www.jpost.com/</link>
    <description>Jerusalem Post - Front Page</description>
    <item>
      <title>Israel's desalination plants to run at full capacity through winter</title>
      <link>https://www.jpost.com/israel-news/article-881204</link>
      <pubDate>Tue, 24 Nov 2026 12:05:00 GMT</pubDate>
      <Author>NOA BEN-DAVID</Author>
    </item>
    <item>
      <title>Kinneret rises after October rains</title>
      <link>https://www.jpost.com/israel-news/article-870001</link>
      <pubDate>Thu, 29 Oct 2026 08:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Water</title>
      <link>https://www.jpost.com/tags/water</link>
      <pubDate>Tue, 24 Nov 2026 13:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>
