"""verify's diff over two scans, with memory that does not grow with the tables.

Each item of the restored table leaves a key text, a 16-byte digest (``core.diff.item_hash``,
computed from the wire JSON) and its rule verdict; the live table's items are classified
against them. Up to a threshold the restored side is a dict; past it both sides are hash-
partitioned into spill files (a store the aws layer provides) and joined a partition at a
time. Only the differing keys are kept, compactly (:class:`entries.CompactEntries`), and the
report (:class:`entries.ScannedDiff`) is a core ``DiffReport``: the same counts, samples,
damaged keys and JSON, and the same ``entries`` for repair's plan.
"""
