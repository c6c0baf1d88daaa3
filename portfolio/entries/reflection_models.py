"""The reflection models a coach can write with, each with its own prompts (in our own words).

Prompt keys are unique across models, so text written under one model is never mistaken for
another model's answer when the author switches model: it stays in the entry, labelled.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    key: str
    title: str
    question: str


@dataclass(frozen=True)
class ReflectionModel:
    key: str
    name: str
    summary: str
    prompts: tuple[Prompt, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(prompt.key for prompt in self.prompts)


MODELS: dict[str, ReflectionModel] = {model.key: model for model in (
    ReflectionModel(
        "gibbs", "Gibbs' reflective cycle",
        "Six steps from what happened to an action plan. Good for a single session or moment "
        "that went well or badly.",
        (
            Prompt("gibbs_description", "Description",
                   "What happened? Set the scene: the session, the athletes (without names), "
                   "what you planned and what actually took place."),
            Prompt("gibbs_feelings", "Feelings",
                   "What were you thinking and feeling before, during and after?"),
            Prompt("gibbs_evaluation", "Evaluation",
                   "What went well, and what went less well?"),
            Prompt("gibbs_analysis", "Analysis",
                   "Why did it go that way? Use what helps you make sense of it: your own "
                   "experience, how the athletes saw it, coaching research."),
            Prompt("gibbs_conclusion", "Conclusion",
                   "What have you learned? What else could you have done?"),
            Prompt("gibbs_action_plan", "Action plan",
                   "What will you do differently next time, and how will you know it worked?"),
        ),
    ),
    ReflectionModel(
        "what_so_what", "What? So what? Now what?",
        "Three quick questions. Good for reflecting soon after a session, even at the track.",
        (
            Prompt("what", "What?", "Describe what happened and the part you played in it."),
            Prompt("so_what", "So what?",
                   "Why does it matter? What does it tell you about your coaching, the athletes "
                   "or the training environment?"),
            Prompt("now_what", "Now what?",
                   "What will you do next, and what support or information do you need?"),
        ),
    ),
    ReflectionModel(
        "kolb", "Kolb's learning cycle",
        "From experience to a general idea you can test. Good for turning a pattern you keep "
        "noticing into a plan.",
        (
            Prompt("kolb_experience", "Concrete experience",
                   "What did you do, and what happened?"),
            Prompt("kolb_observation", "Reflective observation",
                   "Looking back, what do you notice? What surprised you?"),
            Prompt("kolb_concepts", "Abstract conceptualisation",
                   "What general idea, principle or theory explains it? What would you now tell "
                   "another coach?"),
            Prompt("kolb_experiment", "Active experimentation",
                   "How will you test this idea in your next sessions?"),
        ),
    ),
    ReflectionModel(
        "gilbert_trudel", "Reflective conversation (Gilbert and Trudel)",
        "Works through a coaching dilemma: the issue, how you see it, options, trying one "
        "out and judging the result.",
        (
            Prompt("gt_issue", "The coaching issue",
                   "What dilemma or problem caught your attention, and why now?"),
            Prompt("gt_role_frame", "Your role frame",
                   "Which of your beliefs and values about coaching shaped how you saw the "
                   "issue?"),
            Prompt("gt_strategies", "Possible strategies",
                   "What options did you consider? Where did the ideas come from: your own "
                   "experience, other coaches, reading?"),
            Prompt("gt_experiment", "Experimentation",
                   "What did you try, in practice or by thinking it through?"),
            Prompt("gt_evaluation", "Evaluation",
                   "What was the result? Is the issue settled, or does the conversation "
                   "continue?"),
        ),
    ),
    ReflectionModel(
        "brookfield", "Brookfield's four lenses",
        "Looks at one piece of coaching from four points of view. Good for checking your "
        "assumptions.",
        (
            Prompt("bf_self", "Your own view",
                   "What does your experience as a coach, and as an athlete, tell you about "
                   "this?"),
            Prompt("bf_learners", "Through your athletes' eyes",
                   "How might the athletes have experienced it? What did they say or show?"),
            Prompt("bf_colleagues", "Through colleagues' eyes",
                   "What did a peer, mentor or coach developer notice or suggest?"),
            Prompt("bf_literature", "Theory and research",
                   "What does coaching research or writing say about it?"),
            Prompt("bf_synthesis", "Bringing the lenses together",
                   "Where do the lenses agree or pull apart, and what will you change?"),
        ),
    ),
    ReflectionModel(
        "free", "Free writing",
        "One open space. Good when none of the structures fits.",
        (
            Prompt("free_text", "Your reflection",
                   "Write freely. You might cover what happened, what you learned and what "
                   "you will do next."),
        ),
    ),
)}

DEFAULT_MODEL = "what_so_what"
PROMPTS: dict[str, tuple[ReflectionModel, Prompt]] = {
    prompt.key: (model, prompt) for model in MODELS.values() for prompt in model.prompts
}
ALL_PROMPT_KEYS = frozenset(PROMPTS)
_PROMPT_ORDER = {key: index for index, key in enumerate(PROMPTS)}


def model_for(key: str | None) -> ReflectionModel:
    return MODELS.get(key or "", MODELS[DEFAULT_MODEL])


def model_name(key: str | None) -> str:
    model = MODELS.get(key or "")
    return model.name if model else "Unknown model"


def ordered_sections(model_key: str | None, sections: dict | None,
                     rendered: dict | None = None) -> list[dict]:
    """The model's prompts in order, then any text written under other prompts, labelled.

    Each item's "html" is its entry in `rendered`: a saved version's stored HTML, or
    `render_sections` of a working copy's sections.
    """
    sections, rendered = sections or {}, rendered or {}
    model = model_for(model_key)
    items = [{"key": prompt.key, "title": prompt.title, "question": prompt.question,
              "text": sections.get(prompt.key, ""), "html": rendered.get(prompt.key, ""),
              "other_model": None}
             for prompt in model.prompts]
    for key, text in sorted(sections.items(), key=lambda item: _PROMPT_ORDER.get(item[0], 999)):
        if key in model.keys or not text:
            continue
        other, prompt = PROMPTS.get(key, (None, None))
        items.append({"key": key, "title": prompt.title if prompt else key,
                      "question": prompt.question if prompt else "", "text": text,
                      "html": rendered.get(key, ""),
                      "other_model": other.name if other else "an earlier model"})
    return items
