"""Evidence: read the score files teams have, check them, and analyse them.

    from collab_widgets.evidence.scores import read_scores
    scores = read_scores("unit3_post.csv", key="unit3_items.csv")
    results = scores.analysis()
    results.items()            # percent correct per item
    results.subgroups("ELL")   # with small groups suppressed

Nothing here knows about widgets; the workbook's screens are views over these functions.
"""
