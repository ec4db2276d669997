<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Egypt and Sudan agree on joint Nile flood warning system - Politics - Egypt - Ahram Online</title>
<meta name="description" content="Irrigation ministers from both countries signed a memorandum in Cairo on Tuesday">
<meta name="keywords" content="Nile, Sudan, flood, irrigation">
<meta property="og:type" content="article">
<meta property="og:title" content="Egypt and Sudan agree on joint Nile flood warning system">
<meta property="og:url" content="https://english.ahram.org.eg/NewsContent/1/64/556120/Egypt/Politics-/Egypt-and-Sudan-agree-on-joint-Nile-flood-warning.aspx">
<meta property="og:image" content="https://english.ahram.org.eg/Media/News/2026/11/24/2026-638999999999999999-120.jpg">
<link rel="canonical" href="https://english.ahram.org.eg/NewsContent/1/64/556120/Egypt/Politics-/Egypt-and-Sudan-agree-on-joint-Nile-flood-warning.aspx">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Egypt and Sudan agree on joint Nile flood warning system","datePublished":"2026-11-24T12:15:00+02:00","dateModified":"2026-11-24T12:15:00+02:00","author":{"@type":"Person","name":"Ahram Online"},"publisher":{"@type":"Organization","name":"Ahram Online"},"articleSection":"Politics"}</script>
</head>
<body>
<form method="post" action="./Egypt-and-Sudan-agree-on-joint-Nile-flood-warning.aspx" id="form1">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk">
<div class="header"><ul class="menu"><li><a href="/Portal/1/Egypt.aspx">Egypt</a></li><li><a href="/Portal/2/World.aspx">World</a></li><li><a href="/Portal/3/Business.aspx">Business</a></li></ul></div>
<div class="container">
<div class="breadcrumb"><a href="/Portal/1/Egypt.aspx">Egypt</a> &gt; <a href="/Portal/1/64/Politics-.aspx">Politics</a></div>
<h1 id="ContentPlaceHolder1_divTitle">Egypt and Sudan agree on joint Nile flood warning system</h1>
<div class="source"><span id="ContentPlaceHolder1_divWriter" class="writer">Ahram Online </span>, <span id="ContentPlaceHolder1_divDate" class="date">Tuesday 24 Nov 2026</span></div>
<div id="ContentPlaceHolder1_divBrief" class="brief">Irrigation ministers from both countries signed a memorandum in Cairo on Tuesday</div>
<div class="share-bar"><a href="https://www.facebook.com/sharer.php">Share</a> <a href="https://twitter.com/share">Tweet</a></div>
<div id="ContentPlaceHolder1_divImage" class="main-image"><img src="/Media/News/2026/11/24/2026-638999999999999999-120.jpg" alt=""><span class="img-caption">Irrigation ministers at the signing ceremony in Cairo. (Photo: Ahram)</span></div>
<div id="ContentPlaceHolder1_divContent" class="article">
<p>Egypt and Sudan have agreed to build a shared early warning system for Nile floods, linking river gauges in both countries to a single control room, Egypt's irrigation ministry said on Tuesday.</p>
<p>Under the memorandum signed in Cairo, engineers from the two countries will exchange water level readings every six hours during the flood season, and every day for the rest of the year.</p>
<p>The Egyptian and Sudanese delegations at the irrigation ministry in Cairo on Tuesday. (Photo: Ahram)</p>
<p>Officials said the system would give farmers along the river several more days to move livestock and equipment when high water is expected.</p>
<p>The two sides also agreed to hold joint training for technicians in Khartoum early next year.</p>
</div>
<div id="ContentPlaceHolder1_divShortLink" class="short-link">Short link: <a href="https://english.ahram.org.eg/News/556120.aspx">https://english.ahram.org.eg/News/556120.aspx</a></div>
<div id="ContentPlaceHolder1_divKeywords" class="keywords"><span>Search Keywords:</span><a href="/Keyword/1234/Nile.aspx">Nile</a> <a href="/Keyword/1235/Sudan.aspx">Sudan</a></div>
<div id="ContentPlaceHolder1_divComment" class="comment"><h4>Comment's Title</h4><textarea></textarea><p>Comments here:</p></div>
</div>
<div class="footer"><p>© 2026 Ahram Online. All rights reserved.</p></div>
</form>
</body>
</html>
