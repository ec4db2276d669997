<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ismaily appoint new coach after poor start - Egyptian Football - Sports - Ahram Online</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Ismaily appoint new coach after poor start">
<meta property="article:published_time" content="2026-11-23T16:30:00+02:00">
<link rel="canonical" href="https://english.ahram.org.eg/NewsContent/6/51/556090/Sports/Egyptian-Football/Ismaily-appoint-new-coach-after-poor-start.aspx">
</head>
<body>
<form method="post" action="./Ismaily-appoint-new-coach-after-poor-start.aspx" id="form1">
<div class="header"><ul class="menu"><li><a href="/Portal/6/Sports.aspx">Sports</a></li></ul></div>
<div class="container">
<h1 id="ContentPlaceHolder1_divTitle">Ismaily appoint new coach after poor start</h1>
<div class="source"><span id="ContentPlaceHolder1_divWriter" class="writer">Hossam Ezzat </span>, <span id="ContentPlaceHolder1_divDate" class="date">Monday 23 Nov 2026</span></div>
<div id="ContentPlaceHolder1_divContent" class="article">
<p>Ismaily have appointed a new head coach after collecting only five points from their first eight league matches, the Egyptian Premier League club announced on Monday.</p>
<p>The former youth team manager signed a contract until the end of the season and will take charge of training on Wednesday, ahead of a trip to Alexandria at the weekend.</p>
<p>Club officials said the board had given him a free hand to bring in two assistants of his choice.</p>
<p>For more sports news and exclusives, follow Ahram Online Sports on X and Facebook.</p>
</div>
<div id="ContentPlaceHolder1_divShortLink" class="short-link">Short link: <a href="https://english.ahram.org.eg/News/556090.aspx">https://english.ahram.org.eg/News/556090.aspx</a></div>
</div>
</form>
</body>
</html>
