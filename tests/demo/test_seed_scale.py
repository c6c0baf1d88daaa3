"""seed-scale makes a deterministic dataset of the requested size."""

from sqlalchemy import func, select

from portfolio.entries.models import Entry, EntryVersion
from portfolio.evidence.models import Evidence
from portfolio.extensions import db
from portfolio.programmes.models import Cohort, CohortMembership
from portfolio.storage import final_path


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_scale_small(app, runner):
    result = runner.invoke(args=["seed-scale", "--years", "1", "--cohorts", "2",
                                 "--candidates", "3", "--entries", "4"])
    assert result.exit_code == 0, result.output
    assert count(Cohort) == 2
    assert count(CohortMembership) == 2 * (3 + 1)
    assert count(Entry) == 2 * 3 * 4
    assert count(EntryVersion) == 2 * 3 * 4 * 2
    evidence = db.session.scalars(select(Evidence)).all()
    assert len(evidence) == 2 * 3 * 1  # one entry in four has a file
    assert all(final_path(item.storage_key).exists() for item in evidence)
    # Bulk inserts bypass the ORM's hooks: the command indexes what it made for search.
    from portfolio.reviews.models import Comment
    from portfolio.search.models import SearchDocument

    indexed = dict(db.session.execute(select(SearchDocument.kind, func.count())
                                      .group_by(SearchDocument.kind)).all())
    assert indexed == {"entry": count(Entry), "comment": count(Comment),
                       "evidence": len(evidence)}


def test_seed_scale_is_deterministic(tmp_path):
    from portfolio import create_app
    from tests.conftest import base_config, install_schema

    snapshots = []
    for run in ("a", "b"):
        uri = f"sqlite:///{tmp_path / run}.sqlite"
        install_schema(uri)
        app = create_app(base_config(tmp_path / run, uri))
        with app.app_context():
            result = app.test_cli_runner().invoke(args=[
                "seed-scale", "--years", "1", "--cohorts", "1", "--candidates", "2",
                "--entries", "3", "--no-files"])
            assert result.exit_code == 0, result.output
            snapshots.append(db.session.execute(
                select(Entry.owner_id, Entry.privacy, Entry.practice_date, Entry.sections)
                .order_by(Entry.id)).all())
            db.session.remove()
            db.engine.dispose()
    assert len(snapshots[0]) == 6
    assert snapshots[0] == snapshots[1]
