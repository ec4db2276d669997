"""Article extraction: pure functions of (body, headers, capture date, site rules), and the pool.

Nothing here touches the network, the catalog or the files of a collection.
"""
