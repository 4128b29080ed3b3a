"""Write the synthetic score files (one per format and shape the workbook reads) into
`sample_data/scores/`:

    python sample_data/make_score_files.py

The students are invented and the content is deterministic (a fixed seed): running it
again gives the same files. The generator lives in `collab_widgets/demo/sample_scores.py`;
`tests/unit/test_sample_scores.py` checks that the files here are what it writes.
"""

from pathlib import Path

from collab_widgets.demo.sample_scores import write_format_samples

if __name__ == "__main__":
    for path in write_format_samples(Path(__file__).parent / "scores"):
        print(path)
