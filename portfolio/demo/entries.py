"""Demo portfolios: each demo candidate's reflective entries, philosophy statement and goals.

Runs after the programmes seeder and builds on its cohort. Idempotent and flush-only: items are
recognised by owner and title. If the cohort does not exist yet, entries are written without
one and linked (with their competency claims) on a later run once it does. Athletes are
described without names, as the product asks coaches to do.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from ..auth.models import User
from ..database import utcnow
from ..entries import services
from ..entries.authoring import writing_membership
from ..entries.models import (
    Entry,
    Goal,
    GoalNote,
    PhilosophyStatement,
    PhilosophyVersion,
    PrivacyTier,
)
from ..entries.versioning import content_hash
from ..extensions import db
from ..frameworks.models import Competency

# (title, days ago, model, privacy, session type, event group, athletes, codes, tags,
#  sections, later edits (saved as version 2) or None, saved as a version?)
ENTRIES: dict[str, list[dict]] = {
    "coach1@example.org": [
        {
            "title": "Block starts with the U17 group", "days_ago": 82,
            "model": "what_so_what", "privacy": "peers", "session": "training",
            "group": "Sprints and hurdles",
            "athletes": "Five U17 sprinters, two in their first season with the club.",
            "codes": ["TC1", "TC2"], "tags": "acceleration, block starts, U17",
            "sections": {
                "what": "Forty minutes on block starts before the track session. I set up "
                        "three stations: block spacing, 'set' position holds and 10 m starts "
                        "to my clap. The two newer athletes kept rising too early and "
                        "stood up within three strides.",
                "so_what": "I spent most of my attention on the experienced three because "
                           "their starts looked 'nearly there'. The newer two got the least "
                           "feedback and the least success. I also talked a lot: my cues "
                           "were long sentences about shin angles.",
                "now_what": "Next week: one cue each ('push the track away'), two short "
                            "video clips on the tablet instead of explanations, and the "
                            "newer pair start first so they get my eyes while fresh.",
            },
            "revision": {"now_what": "Next week: one cue each (\"push the track away\"), "
                         "two short video clips on the tablet instead of explanations, and "
                         "the newer pair start first so they get my eyes while fresh.\n\n"
                         "Update after the session: the single cue worked for four of five. "
                         "Keep it, and try a partner-resisted start for the fifth."},
        },
        {
            "title": "County indoor championships: getting warm-up timing right",
            "days_ago": 56, "model": "gibbs", "privacy": "developers",
            "session": "competition", "group": "Sprints and hurdles",
            "athletes": "Two U20 athletes racing 60 m and 60 m hurdles on the same day.",
            "codes": ["MD2", "VP2"], "tags": "competition, warm-up, indoor",
            "sections": {
                "gibbs_description": "The call room time moved forward by 20 minutes and "
                                     "we found out late. One athlete had to cut her "
                                     "hurdle drills to two reps.",
                "gibbs_feelings": "I felt my stomach drop and I think the athletes "
                                  "picked up my stress. I was short with them.",
                "gibbs_evaluation": "Good: we had a shortened warm-up written on the back of "
                                    "the plan. Less good: I did not check the timetable board "
                                    "after we arrived.",
                "gibbs_analysis": "Competition days at indoor venues change often. I rely "
                                  "on the printed timetable because it worked at outdoor "
                                  "meets. My own nerves are a bigger factor than I admit.",
                "gibbs_conclusion": "A plan B warm-up helps only if I stay calm enough to "
                                    "use it well.",
                "gibbs_action_plan": "Check the call room board on arrival and every hour. "
                                     "Practise the 12-minute warm-up in training so it is "
                                     "familiar. Use a breathing routine myself before "
                                     "speaking to athletes.",
            },
        },
        {
            "title": "Parents on the home straight", "days_ago": 41,
            "model": "gilbert_trudel", "privacy": "private", "session": "training",
            "group": "Sprints and hurdles",
            "athletes": "A 15-year-old sprinter and her parent.",
            "codes": ["RC2", "ES2"], "tags": "parents, communication",
            "sections": {
                "gt_issue": "A parent stands at the 80 m mark and shouts split times and "
                            "technical advice that contradicts mine. The athlete looks at "
                            "the parent after every rep.",
                "gt_role_frame": "I believe the athlete should own her training decisions, "
                                 "and I want parents involved, not pushed away.",
                "gt_strategies": "Ask the parent to sit in the stand; invite the parent to "
                                 "a short planning chat; give the athlete a say in who "
                                 "gives feedback during sessions.",
                "gt_experiment": "I asked the athlete first. She wanted her parent there "
                                 "but quieter. We agreed a three-way chat after training.",
                "gt_evaluation": "Calmer two weeks since. Still unsure I handled the first "
                                 "conversation well; I was nervous about sounding critical.",
            },
        },
        {
            "title": "Hurdle rhythm with a left-leg-dominant athlete", "days_ago": 20,
            "model": "kolb", "privacy": "cohort", "session": "training",
            "group": "Sprints and hurdles",
            "athletes": "A U17 hurdler who leads with her left leg and is in her second "
                        "season.",
            "codes": ["TC1", "TC3"], "tags": "hurdles, rhythm, technique",
            "sections": {
                "kolb_experience": "We reduced the hurdle spacing by half a foot to work on "
                                   "three-stride rhythm. She hit hurdle four every time.",
                "kolb_observation": "Filming from the side showed her trail leg coming "
                                    "through low and late, not a spacing problem at all.",
                "kolb_concepts": "Spacing changes hide technical faults if I only watch "
                                 "from the front. Check the trail leg before changing the "
                                 "set-up.",
                "kolb_experiment": "Wall drills for the trail leg twice a week for three "
                                   "weeks, then film the same set-up again.",
            },
        },
        {
            "title": "A session plan that fell apart in the rain", "days_ago": 3,
            "model": "free", "privacy": "peers", "session": "training",
            "group": "Sprints and hurdles", "athletes": "The whole U17 training group.",
            "codes": ["VP3"], "tags": "planning, weather", "draft": True,
            "sections": {
                "free_text": "Still writing this one. The track flooded at lane one and I "
                             "had no indoor alternative ready…",
            },
        },
    ],
    "coach2@example.org": [
        {
            "title": "Approach-run consistency in long jump", "days_ago": 76,
            "model": "kolb", "privacy": "peers", "session": "training", "group": "Jumps",
            "athletes": "Three U18 long jumpers.",
            "codes": ["TC1", "MD1"], "tags": "long jump, approach, checkmarks",
            "sections": {
                "kolb_experience": "I measured every approach with a tape at the 6-stride "
                                   "checkmark. Variation was up to 40 cm for one athlete.",
                "kolb_observation": "The athlete with the most variation changed her first "
                                    "three strides each time depending on how she felt.",
                "kolb_concepts": "Consistency early in the run matters more than the board. "
                                 "A fixed, rehearsed start builds a stable rhythm.",
                "kolb_experiment": "Use a rolling start mark and count the first four "
                                   "strides aloud for two weeks.",
            },
            "revision": {"kolb_experiment": "Use a rolling start mark and count the first "
                         "four strides aloud for two weeks. After two weeks, variation at "
                         "the checkmark fell to about 15 cm for all three."},
        },
        {
            "title": "A heptathlete juggling three event groups", "days_ago": 50,
            "model": "brookfield", "privacy": "cohort", "session": "mentoring",
            "group": "Combined events",
            "athletes": "A 17-year-old heptathlete who also plays school netball.",
            "codes": ["VP3", "RC1"], "tags": "combined events, load, planning",
            "sections": {
                "bf_self": "As a former jumper I plan jumps first and fit the rest around "
                           "them. That suits me more than the athlete.",
                "bf_learners": "She told me she dreads Tuesday because it has hurdles, "
                               "shot and an 800 m session.",
                "bf_colleagues": "Our throws coach suggested splitting technical work so no "
                                 "day has more than two event groups.",
                "bf_literature": "Reading on training load suggests watching her overall "
                                 "weekly load, including netball, not each event separately.",
                "bf_synthesis": "I will redesign the week with her, counting netball as "
                                "training, and check her wellbeing scores each Monday.",
            },
        },
        {
            "title": "A high jumper's fear after a fall", "days_ago": 31,
            "model": "gibbs", "privacy": "developers", "session": "training",
            "group": "Jumps", "athletes": "A U15 high jumper.",
            "codes": ["ES1", "RC3"], "tags": "high jump, confidence, safeguarding",
            "sections": {
                "gibbs_description": "After landing half off the bed last month she refuses "
                                     "to jump above 1.40 m.",
                "gibbs_feelings": "I felt protective and a bit helpless.",
                "gibbs_evaluation": "I checked the equipment and reported it; I did not "
                                    "push her. I did not ask her what she was scared of.",
                "gibbs_analysis": "Fear of a specific thing is easier to work with than "
                                  "general fear. I had guessed the reason without asking.",
                "gibbs_conclusion": "Ask first, and let her set the heights.",
                "gibbs_action_plan": "Short scissor-jump sessions with a bungee she raises "
                                     "herself; talk with her parent about how she is doing "
                                     "at home.",
            },
        },
        {
            "title": "Peer observation: sprint drills in Jordan's session", "days_ago": 12,
            "model": "what_so_what", "privacy": "peers", "session": "observation",
            "group": "Sprints and hurdles", "athletes": "Jordan's U17 sprint group.",
            "codes": ["RP2"], "tags": "peer learning, observation",
            "sections": {
                "what": "I watched Jordan's acceleration session. He used one cue per "
                        "athlete and short video clips instead of long explanations.",
                "so_what": "My jumpers get long explanations from me too. The sprinters "
                           "were doing more and listening less, and they seemed happier.",
                "now_what": "Try one-cue coaching in my next two approach sessions and ask "
                            "Jordan to watch one of them.",
            },
        },
    ],
    "coach3@example.org": [
        {
            "title": "Easy runs that were not easy", "days_ago": 86,
            "model": "what_so_what", "privacy": "cohort", "session": "training",
            "group": "Endurance", "athletes": "Six U20 middle-distance runners.",
            "codes": ["MD1", "TC3"], "tags": "endurance, intensity, heart rate",
            "sections": {
                "what": "Two runners turned the Sunday easy run into a race again. Their "
                        "heart-rate data showed most of the run near threshold.",
                "so_what": "If easy runs are hard, the hard sessions suffer and injury risk "
                           "rises. I had said 'easy' without saying what easy means.",
                "now_what": "Give a talking-pace rule and pair the competitive two with "
                            "different partners for a month.",
            },
        },
        {
            "title": "Planning the cross-country season around school", "days_ago": 61,
            "model": "gilbert_trudel", "privacy": "developers", "session": "other",
            "group": "Endurance", "athletes": "Three sixth-form runners with exams in May.",
            "codes": ["VP1", "VP3"], "tags": "planning, cross country, education",
            "sections": {
                "gt_issue": "The county championships clash with mock exams for all three.",
                "gt_role_frame": "Education comes first, but I want them to have a goal "
                                 "race they care about.",
                "gt_strategies": "Skip the county race; race and taper less; pick a later "
                                 "regional race as the main goal.",
                "gt_experiment": "We sat down together with the fixture list and their exam "
                                 "timetable and let them choose.",
                "gt_evaluation": "Two chose the regional race, one still wants the county "
                                 "race. I will support both plans.",
            },
        },
        {
            "title": "An athlete who wanted to quit", "days_ago": 36,
            "model": "gibbs", "privacy": "private", "session": "mentoring",
            "group": "Endurance", "athletes": "A 17-year-old 1500 m runner.",
            "codes": ["RC3", "EI1"], "tags": "motivation, wellbeing",
            "sections": {
                "gibbs_description": "After a poor race she said she wanted to stop running.",
                "gibbs_feelings": "I was worried I had pushed her too hard this season.",
                "gibbs_evaluation": "I listened and did not try to talk her out of it.",
                "gibbs_analysis": "Her training load was high alongside exams and a "
                                  "part-time job.",
                "gibbs_conclusion": "I need to ask about life outside the track much earlier.",
                "gibbs_action_plan": "A short wellbeing check-in every two weeks, and a "
                                     "lighter block she helps to plan.",
            },
        },
        {
            "title": "Pacing without watches", "days_ago": 15,
            "model": "brookfield", "privacy": "peers", "session": "training",
            "group": "Endurance", "athletes": "Eight U17 and U20 middle-distance runners.",
            "codes": ["TC2", "RP1"], "tags": "pacing, 800m, decision-making",
            "sections": {
                "bf_self": "I learned to pace by feel as an athlete and I value it.",
                "bf_learners": "The younger runners felt lost without their watches at "
                               "first, then enjoyed guessing their splits.",
                "bf_colleagues": "Sam suggested calling the splits only after each rep, so "
                                 "they compare feel and fact.",
                "bf_literature": "Work on perceived exertion supports learning pace by feel "
                                 "alongside feedback.",
                "bf_synthesis": "Keep one watch-free session a week, with splits given "
                                "afterwards.",
            },
        },
        {
            "title": "Mentoring conversation with my coach developer", "days_ago": 6,
            "model": "free", "privacy": "developers", "session": "mentoring",
            "group": "Endurance", "athletes": "None: a conversation about my own practice.",
            "codes": ["RP3"], "tags": "mentoring, development plan",
            "sections": {
                "free_text": "We talked about how I plan sessions for mixed-ability groups. "
                             "Sam asked what I do when the plan does not fit the athletes on "
                             "the day. I realised I rarely change the plan mid-session, even "
                             "when it clearly is not working.\n\nI will write one 'if this, "
                             "then that' alternative into each plan for the next month.",
            },
        },
    ],
}

PHILOSOPHY = {
    "coach1@example.org": [
        "Good coaching helps young sprinters enjoy getting faster, and keeps them in the sport.",
        "Good coaching helps young sprinters enjoy getting faster, and keeps them in the "
        "sport.\n\nI want every athlete to leave a session knowing one thing they did better. "
        "I try to say less and let them feel more: one cue, lots of good repetitions. I care "
        "about the athlete first and the time second, especially with under-18s.",
    ],
    "coach2@example.org": [
        "Athletes learn best when they understand why they are doing something. I explain, "
        "then let them experiment, and I plan the whole week around the whole person, "
        "including school and other sports.",
    ],
    "coach3@example.org": [
        "Endurance is built over years, not weeks. My job is to keep runners healthy and "
        "curious long enough for the training to add up.",
    ],
}

GOALS = {
    "coach1@example.org": [
        ("Use one cue per athlete in every acceleration session", 60, "in_progress",
         ["TC2", "RC1"], "peers", ["Tried it with the U17 group: four of five improved."]),
        ("Build a competition-day plan B for indoor meets", 90, "not_started", ["MD2"],
         "developers", []),
    ],
    "coach2@example.org": [
        ("Plan a combined-events week that counts all of the athlete's sport", 45,
         "in_progress", ["VP3"], "developers", ["First draft agreed with the athlete."]),
        ("Observe two other coaches' jump sessions", 120, "not_started", ["RP2"], "cohort",
         []),
    ],
    "coach3@example.org": [
        ("Add a wellbeing check-in to every training block", 30, "achieved", ["MD1", "RC3"],
         "developers", ["Fortnightly check-ins started.", "All eight athletes now use it."]),
        ("Write an alternative into every session plan", 60, "in_progress", ["VP3"],
         "peers", []),
    ],
}


def seed(users: dict[str, User]) -> bool:
    created = False
    for email, items in ENTRIES.items():
        author = users.get(email)
        if author is None:
            continue
        for item in items:
            created = _entry(author, item) or created
        created = _philosophy(author, PHILOSOPHY.get(email, [])) or created
        for goal in GOALS.get(email, []):
            created = _goal(author, *goal) or created
    db.session.flush()
    return created


def _when(days_ago: int, hour: int = 20) -> datetime:
    day = utcnow().date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 15), tzinfo=UTC)


def _codes(author: User, codes: list[str]) -> list[int]:
    membership = writing_membership(author)
    if membership is None:
        return []
    return list(db.session.scalars(select(Competency.id).where(
        Competency.framework_id == membership.cohort.framework_id, Competency.code.in_(codes))))


def _entry(author: User, item: dict) -> bool:
    existing = db.session.scalar(select(Entry).where(Entry.owner_id == author.id,
                                                     Entry.title == item["title"]))
    if existing is not None:
        return _link_to_cohort(author, existing, item)
    practice = utcnow().date() - timedelta(days=item["days_ago"])
    draft = services.EntryDraft(
        title=item["title"], practice_date=practice, session_type=item["session"],
        event_group=item["group"], athletes=item["athletes"], reflection_model=item["model"],
        sections=item["sections"], privacy=item["privacy"],
        competency_ids=_codes(author, item["codes"]), tags=item["tags"])
    if writing_membership(author) is not None:
        entry, _ = services.create_entry(author, draft, lenient=True)
    else:  # the programmes demo has not made the cohort yet: link it on a later run
        entry = Entry(owner_id=author.id, title="", sections={}, privacy=PrivacyTier.PRIVATE)
        db.session.add(entry)
        db.session.flush()
        services.update_working_copy(entry, draft, author, lenient=True)
    entry.created_at = entry.autosaved_at = _when(item["days_ago"])
    if not item.get("draft"):
        services.save_version(entry, author, saved_at=_when(item["days_ago"]))
        if item.get("revision"):
            services.update_working_copy(entry, services.EntryDraft(sections=item["revision"]),
                                         author, lenient=True)
            services.save_version(entry, author, saved_at=_when(item["days_ago"] - 7, 19))
    db.session.flush()
    return True


def _link_to_cohort(author: User, entry: Entry, item: dict) -> bool:
    """Entries written before the cohort existed join it (with their claims) once it does."""
    if entry.cohort_id is not None:
        return False
    membership = writing_membership(author)
    if membership is None:
        return False
    entry.cohort_id = membership.cohort_id
    db.session.flush()
    db.session.refresh(entry)
    services.update_working_copy(
        entry, services.EntryDraft(competency_ids=_codes(author, item["codes"])), author,
        lenient=True)
    if entry.latest_version_number:
        services.save_version(entry, author, note="Linked to the cohort's framework")
    db.session.flush()
    return True


def _philosophy(author: User, bodies: list[str]) -> bool:
    if not bodies or db.session.scalar(select(PhilosophyStatement.id).where(
            PhilosophyStatement.owner_id == author.id)):
        return False
    statement = PhilosophyStatement(owner_id=author.id, body=bodies[-1],
                                    privacy=PrivacyTier.DEVELOPERS,
                                    autosaved_at=_when(70))
    db.session.add(statement)
    db.session.flush()
    for number, body in enumerate(bodies, start=1):
        db.session.add(PhilosophyVersion(
            statement_id=statement.id, number=number, body=body,
            content_hash=content_hash({"body": body}),
            created_at=_when(90 - 20 * number)))
    statement.latest_version_number = len(bodies)
    db.session.flush()
    return True


def _goal(author, title, due_in, status, codes, privacy, notes) -> bool:
    if db.session.scalar(select(Goal.id).where(Goal.owner_id == author.id, Goal.title == title)):
        return False
    ids = _codes(author, codes)
    goal = Goal(owner_id=author.id, title=title, status=status, privacy=privacy,
                target_date=utcnow().date() + timedelta(days=due_in),
                description="", created_at=_when(80))
    goal.competencies = list(db.session.scalars(select(Competency).where(
        Competency.id.in_(ids)))) if ids else []
    db.session.add(goal)
    db.session.flush()
    for index, body in enumerate(notes):
        db.session.add(GoalNote(goal_id=goal.id, body=body,
                                created_at=_when(40 - 15 * index)))
    db.session.flush()
    return True
