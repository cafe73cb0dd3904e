"""The walkthrough itself: every slash command, as members and a moderator would use them.

Later features add their scenes here, so the demo keeps showing the whole bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.demo.stage import Stage
from discord_sandbox import Channel, Member


@dataclass(frozen=True)
class Cast:
    """Who takes part in the demo, and where."""

    general: Channel
    modlog: Channel
    wins: Channel
    goals: Channel
    alice: Member
    bruno: Member
    mo: Member
    owner: Member


async def play(stage: Stage, cast: Cast) -> None:
    """Run every scene in order."""
    await getting_started(stage, cast)
    await tips(stage, cast)
    await moderating_tips(stage, cast)
    await rejections(stage, cast)
    await accountability(stage, cast)
    await wins(stage, cast)
    await support(stage, cast)
    await your_data(stage, cast)


async def getting_started(stage: Stage, cast: Cast) -> None:
    """Show the two commands a newcomer reaches for first."""
    stage.narrate("Getting started")
    await stage.say(cast.alice, "help")
    await stage.say(cast.alice, "about")


async def tips(stage: Stage, cast: Cast) -> None:
    """Ask for a tip, page to another, and share one without a name."""
    stage.narrate("A tip when you need one")
    topic = await stage.pick(cast.alice, "tip", "topic", "personal")
    tip = await stage.say(cast.alice, "tip", topic=topic)
    another = await stage.click(cast.alice, tip, "Another tip")
    await stage.click(cast.alice, another, "This helped")
    choice = await stage.click(cast.alice, another, "Share with the channel")
    await stage.click(cast.alice, choice, "Share without my name", followups=1)
    stage.narrate("Tips follow each member's Discord language when a translation exists")
    await stage.say(cast.bruno, "tip", locale="es-ES", topic="not-personal")


async def moderating_tips(stage: Stage, cast: Cast) -> None:
    """Walk a moderator through every /tips command, from adding to exporting."""
    stage.narrate("Moderators shape the library for their server")
    await stage.say(cast.bruno, "tips reload")
    form = await stage.say(cast.mo, "tips add", topic="small-wins")
    await stage.fill(
        cast.mo,
        form.modal,
        {
            "text": "Write down one thing you did this week that took effort, even if "
            "nobody saw it. Effort counts before results do.",
            "reflect": "What did that effort cost you, and what did it show about you?",
        },
    )
    form = await stage.say(cast.mo, "tips edit", tip="growth-mindset-01")
    await stage.fill(
        cast.mo,
        form.modal,
        {
            "text": "After a no, jot down one thing you would keep and one you would try "
            "differently. Two lines are enough.",
            "reflect": "",
        },
    )
    await stage.say(cast.mo, "tips list", topic="small-wins")
    await stage.say(cast.mo, "tips preview", tip="growth-mindset-01")
    await stage.say(cast.mo, "tips remove", tip="small-wins-02")
    await stage.say(cast.mo, "tips restore", tip="small-wins-02")
    await stage.say(cast.mo, "tips stats")
    await stage.say(cast.mo, "tips reload")
    await stage.say(cast.mo, "tips export")


async def rejections(stage: Stage, cast: Cast) -> None:
    """Log rejections privately, undo one, and see the group figures appear."""
    stage.narrate("Counting the tries, privately")
    await stage.say(cast.alice, "rejection log", stage="interview")
    stage.narrate("(Bruno, Mo and Olivia log one each; Alice logs three more)")
    for member in (cast.bruno, cast.mo, cast.owner, cast.alice, cast.alice, cast.alice):
        await stage.quietly(member, "rejection log")
    await stage.say(cast.alice, "rejection log", stage="final-round")
    await stage.say(cast.alice, "rejection undo")
    await stage.say(cast.alice, "rejection stats")
    stage.next_day()
    stage.narrate("Group figures count finished days only, and only once 3+ people took part")
    await stage.say(cast.alice, "rejection stats")


async def your_data(stage: Stage, cast: Cast) -> None:
    """Read the privacy note, take a copy of your data, then delete it."""
    stage.narrate("Privacy, a copy of your data, and deleting it")
    await stage.say(cast.bruno, "privacy")
    await stage.say(cast.bruno, "my-data")
    confirm = await stage.say(cast.bruno, "forget-me")
    await stage.click(cast.bruno, confirm, "Delete everything")


async def support(stage: Stage, cast: Cast) -> None:
    """Open /support on a hard day: a grounding step, a plan and helplines."""
    stage.narrate("On a hard day: /support, a small first step only you can see")
    await stage.say(
        cast.owner, "setup support", note="Post in #general or message a moderator any time."
    )
    home = await stage.say(cast.alice, "support")
    step = await stage.click(cast.alice, home, "Ground me")
    for _ in range(4):
        step = await stage.click(cast.alice, step, "Next step")
    await stage.click(cast.alice, step, "Done")
    form = await stage.click(cast.alice, home, "My plan")
    plan = await stage.fill(
        cast.alice,
        form.modal,
        {
            "warning_signs": "I stop replying to friends and refresh my inbox all evening.",
            "what_helps": "A walk before dinner. Writing down one thing that went okay.",
            "people": "Sam (text first), my brother on Sundays.",
            "reasons": "My kids, my garden, the trip we planned for spring.",
        },
    )
    await stage.click(cast.alice, plan, "Talk to someone")
    stage.narrate("Helplines follow the member's Discord language, or the region they pick")
    bruno = await stage.say(cast.bruno, "support", locale="es-ES")
    await stage.click(cast.bruno, bruno, "Talk to someone")


async def wins(stage: Stage, cast: Cast) -> None:
    """Share small wins and fire the weekly celebration."""
    stage.narrate("Small wins, celebrated together once a week")
    await stage.say(
        cast.owner,
        "setup celebrations",
        channel=cast.wins,
        weekday="friday",
        time="17:00",
        timezone="Europe/Berlin",
    )
    stage.narrate("Weekly posts speak the server's language (or one chosen with /setup language)")
    await stage.say(cast.owner, "setup language", language="server")
    await stage.say(cast.owner, "setup show")
    await stage.say(
        cast.alice, "win", text="Sent the application I had been putting off for a week"
    )
    await stage.say(
        cast.bruno, "win", text="Asked an interviewer for feedback, and got some", anonymous=True
    )
    await stage.say(cast.mo, "win", text="Updated my CV with the project from last month")
    await stage.say(cast.alice, "wins")
    before = len(cast.wins.messages)
    due = await stage.app.bot.services.setup.schedules(cast.wins.guild_id or 0)
    stage.jump_to(due[0].next_run, "Friday, 17:00 in Berlin: the celebration is due")
    await stage.app.bot.scheduler.fire(f"celebration:{cast.wins.guild_id}")
    stage.show_posts(cast.wins, before)


async def accountability(stage: Stage, cast: Cast) -> None:
    """Play a week of goals: thread, check-in, break, recap, and stepping out."""
    stage.narrate("A week of small goals, together (the clock jumps from Monday to Sunday)")
    guild = cast.goals.guild_id or 0
    await stage.say(
        cast.owner, "setup accountability", channel=cast.goals, timezone="Europe/Berlin"
    )
    await stage.say(cast.alice, "accountability join")
    stage.narrate("(Mo and Bruno join too)")
    await stage.quietly(cast.mo, "accountability join")
    await stage.quietly(cast.bruno, "accountability join")
    stage.jump_to(
        await _next(stage, guild, "accountability"),
        "Monday, 09:00 in Berlin: the weekly thread opens",
    )
    await stage.app.bot.scheduler.fire(f"accountability:{guild}")
    thread = next(c for c in stage.sb.world.channels.values() if c.parent_id == cast.goals.id)
    stage.show_posts(cast.goals, 0)
    await stage.say(cast.alice, "goal set", text="Send 5 applications", target=5)
    await stage.say(cast.alice, "goal set", text="Ask one interviewer for feedback")
    await stage.say(cast.mo, "goal set", text="Update my portfolio", private=True)
    goals = await stage.app.bot.services.accountability.own(guild, cast.alice.id)
    await stage.say(cast.alice, "goal progress", goal=goals[0].id, amount=3, share=True)
    await stage.say(cast.alice, "goal done", goal=goals[1].id)
    await stage.say(cast.alice, "goal list")
    stage.narrate("Meanwhile in the thread (names shown, nobody pinged; Mo's goal stayed private)")
    stage.show_posts(thread, 0)
    stage.jump_to(
        await _next(stage, guild, "checkin"), "Wednesday: a gentle check-in in the thread"
    )
    seen = len(thread.messages)
    await stage.app.bot.scheduler.fire(f"checkin:{guild}")
    stage.show_posts(thread, seen)
    await stage.say(cast.mo, "break start", days=5)
    await stage.say(cast.mo, "break status")
    stage.jump_to(await _next(stage, guild, "recap"), "Sunday: the recap, with no one singled out")
    seen = len(thread.messages)
    await stage.app.bot.scheduler.fire(f"recap:{guild}")
    stage.show_posts(thread, seen)
    await stage.say(cast.alice, "accountability status")
    stage.narrate("Mo feels rested and comes back a day early; Bruno steps out for now")
    await stage.say(cast.mo, "break end")
    await stage.say(cast.bruno, "accountability leave")


async def _next(stage: Stage, guild_id: int, kind: str) -> datetime:
    """Return when the weekly run of `kind` happens next, from the bot's own schedule."""
    schedules = await stage.app.bot.services.setup.schedules(guild_id)
    return next(s.next_run for s in schedules if s.kind == kind)
