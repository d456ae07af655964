"""Check-worthiness scores and claim matching against earlier fact-checks."""
from typer.testing import CliRunner

from claimscope.engines.checkworthiness import score
from claimscope.cli import app


def test_factual_news_claims_outrank_pleasantries():
    texts = ["Belarus has deployed Iskander missile systems along the border with Ukraine.", "Good evening.",
             "Thank you very much.", "Putin handed over the Iskander missiles to Lukashenko in 2022."]
    deployed, evening, thanks, handed = score(texts)
    assert deployed > 0.5 > evening and deployed > thanks
    assert handed > max(evening, thanks)
    assert all(0.0 <= value <= 1.0 for value in (deployed, evening, thanks, handed))


def test_every_sentence_and_claim_is_scored(example):
    assert all(s.checkworthiness is not None for s in example.sentences)
    assert all(c.checkworthiness is not None for c in example.claims)
    deployed = next(s for s in example.sentences if "has deployed Iskander" in s.text)
    headline_threat = next(s for s in example.sentences if s.text == "Lukashenko tries to threaten")
    assert deployed.checkworthiness > headline_threat.checkworthiness


def test_predict_and_eval_checkworthiness(tmp_path):
    debate = tmp_path / "debates"
    debate.mkdir()
    lines = ["1\tHOLT\tGood evening from Hofstra University.\t0", "2\tTRUMP\tWe have lost 70,000 factories since China entered the WTO.\t1",
             "3\tHOLT\tThank you.\t0", "4\tCLINTON\tThe unemployment rate fell to 4.9 percent last month.\t1"]
    (debate / "d1.tsv").write_text("\n".join(lines) + "\n")
    out = tmp_path / "scores.tsv"
    result = CliRunner().invoke(app, ["predict", "checkworthiness", str(debate / "d1.tsv"), str(out)])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [r[0] for r in rows] == ["1", "2", "3", "4"] and all(0 <= float(r[1]) <= 1 for r in rows)
    result = CliRunner().invoke(app, ["eval", "checkworthiness", "--gold", str(debate)])
    assert "MAP 1.0000" in result.stdout


def test_bad_transcript_is_named(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("not a transcript line\n")
    result = CliRunner().invoke(app, ["predict", "checkworthiness", str(bad), str(tmp_path / "o.tsv")])
    assert result.exit_code == 1 and "bad.tsv:1" in result.stderr


def test_claim_matching_run_and_eval(tmp_path):
    vclaims = tmp_path / "vclaims.tsv"
    vclaims.write_text("\tvclaim\ttitle\n0\tBelarus deployed Iskander missiles on the Ukrainian border.\tDid Belarus deploy Iskanders?\n"
                       "1\tThe moon landing was staged in a studio.\tWas the moon landing faked?\n"
                       "2\tDrinking bleach cures viral infections.\tDoes bleach cure viruses?\n")
    queries = tmp_path / "queries.tsv"
    queries.write_text("\ttweet_content\nq1\tLukashenko says Iskander missile systems now stand at the border with Ukraine\n"
                       "q2\tNASA faked the moon landings, it was all filmed in a studio!\n")
    qrels = tmp_path / "qrels"
    qrels.write_text("q1\t0\t0\t1\nq2\t0\t1\t1\n")
    run = tmp_path / "run.txt"
    result = CliRunner().invoke(app, ["match-claims", str(queries), str(vclaims), str(run), "--index", str(tmp_path / "idx")])
    assert result.exit_code == 0
    lines = [line.split("\t") for line in run.read_text().splitlines()]
    assert lines[0][:4] == ["q1", "Q0", "0", "1"] and len(lines) == 6
    result = CliRunner().invoke(app, ["eval", "match-claims", "--qrels", str(qrels), "--run", str(run)])
    assert "MAP@5 1.0000" in result.stdout and "MRR 1.0000" in result.stdout
    assert list((tmp_path / "idx").glob("*.npz")), "the index is saved for the next run"
    result = CliRunner().invoke(app, ["find-checks", "moon landing was a hoax", "--vclaims", str(vclaims), "--index", str(tmp_path / "idx")])
    assert result.stdout.splitlines()[0].startswith("1.") and "moon landing" in result.stdout.splitlines()[0]


def test_encoding_verified_claims_reports_progress_to_the_total():
    from claimscope.engines.claim_matching import ClaimIndex, VerifiedClaim

    claims = [VerifiedClaim(id=str(i), claim=f"Claim number {i} about the border was checked.") for i in range(300)]
    seen = []
    index = ClaimIndex.build(claims, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(512, 600), (600, 600)] and index.claim_vectors.shape == (300, 384)
