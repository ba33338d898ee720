"""A valid, commented scenario to start from (`calldrill new`)."""

from __future__ import annotations

from simulator.scenario.model import Persona

TEMPLATE = """\
# {id}: a new calldrill scenario. The format: docs/scenario-format.md.
# Check it as you go:   calldrill validate {id}.yaml
# Read it as a trainee: calldrill play {id}.yaml --lang en
# Walk every path:      calldrill explore {id}.yaml
schema_version: 1
id: {id}                  # must equal the file name
version: 1                # raise it whenever you change the plot
title: {{zh: 新情景（请修改标题）, en: New scenario (change the title)}}
kind: inbound             # inbound | outbound | return-visit
persona: {persona}            # the customer's temperament: scenarios/personas/{persona}.yaml
difficulty: basic         # basic | intermediate | advanced
skills: [greeting, open-question, paraphrase, closing]   # tags this call practises
brief:
  zh: 写给学员的情景说明：谁来电、为什么、你能做什么。
  en: "The trainee's briefing: who calls, why, and what you can do."
goal:
  zh: 一通好的通话要达到的目标。
  en: What a good call achieves.
customer:                 # facts the agent knows (the ticket task checks them)
  name: {{zh: 张先生, en: Mr Zhang}}
  phone: "138****0000"
concerns:                 # the customer's issues; the debrief follows each one
  - id: main-issue
    summary: {{zh: 客户的主要问题, en: "The customer's main issue"}}
start: opening
states:
  opening:
    phase: opening        # opening | discovery | resolution | summary | closing
    concern: main-issue
    line:                 # two or more variants, so a replay is not word for word the same
      - zh: 客户的第一句话。
        en: "The customer's first line."
      - zh: 客户第一句话的另一种说法。
        en: Another way the customer might open.
    choices:              # 3 or more replies; the seed shuffles their order on screen
      - id: greet-and-ask
        text:
          zh: 您好，感谢致电，我是客服小王。请问遇到了什么问题？
          en: Hello, thanks for calling, this is Wang. What seems to be the problem?
        tags: [greeting, self-id, open-question]    # scenarios/tags.yaml; docs/tags.md
        feedback:
          zh: 规范开场，再用开放式问题让客户说明情况。
          en: A proper opening, then an open question that lets the caller explain.
        next: understand
      - id: skip-greeting
        text:
          zh: 说吧，什么事？
          en: Go on, what is it?
        tags: [dismissive]
        feedback:
          zh: 没有问候、语气冷淡，客户会觉得不被重视。
          en: No greeting and a cold tone; the caller feels unimportant.
        next: understand
      - id: jump-to-fix
        text:
          zh: 您重启一下试试吧。
          en: Try restarting it.
        tags: [literal-answer]
        feedback:
          zh: 还没了解问题就给方案。
          en: A fix before understanding the problem.
        next: understand
  understand:
    phase: discovery
    concern: main-issue
    line:
      - zh: 客户描述问题。
        en: The customer describes the problem.
    choices:
      - id: restate
        text:
          zh: 如果我理解正确的话，您的问题是……，对吗？
          en: If I understood you correctly, the problem is… is that right?
        tags: [paraphrase, confirm-understanding]
        feedback:
          zh: 复述并确认，双方对问题的理解一致。
          en: You restated and confirmed it, so you both mean the same thing.
        next: wrap-up
      - id: not-my-job
        text:
          zh: 这个不归我管。
          en: "That's not my job."
        tags: [forbidden-phrase]
        feedback:
          zh: 禁用语。应说“这个问题我需要请专业部门协助您”。
          en: "A forbidden phrase. Say \\"I'll get the specialist team to help you\\"."
        branches:          # ordered; the first whose `when` holds wins; the last is the default
          - when: {{tag_used: dismissive}}
            next: complaint
          - next: wrap-up
      - id: vague
        text:
          zh: 我们会尽快处理的。
          en: "We'll handle it as soon as possible."
        tags: [vague-promise]
        feedback:
          zh: “尽快”不是时间。
          en: '"As soon as possible" is not a time.'
        next: wrap-up
  wrap-up:
    phase: closing
    concern: main-issue
    line:
      - zh: 好的，那就这样吧。
        en: OK, that's it then.
    choices:
      - id: summarise-and-close
        text:
          zh: 我再总结一下……还有其他可以帮您的吗？感谢您的来电，再见。
          en: Let me sum up… Is there anything else I can help with? Thanks for calling, goodbye.
        tags: [summarise, offer-more-help, closing]
        feedback:
          zh: 总结、询问其他需求、礼貌道别。
          en: Summary, an offer of more help, a polite goodbye.
        next: solved
      - id: just-hang-up
        text:
          zh: 嗯，拜拜。
          en: Yeah, bye.
        tags: [dismissive]
        feedback:
          zh: 没有总结也没有道谢。
          en: No summary and no thanks.
        next: solved
      - id: argue-at-the-end
        text:
          zh: 早这么说不就好了？
          en: Why didn't you say so earlier?
        tags: [rhetorical-tone]
        feedback:
          zh: 反问语气，客户会不满。
          en: A rhetorical question; the caller will resent it.
        next: complaint
endings:
  solved:
    outcome: resolved      # resolved | resolved-with-follow-up | escalated | transferred
                           # | customer-hung-up | agent-ended | complaint-filed
    line:
      - zh: 好的，谢谢。
        en: Fine, thanks.
    summary:
      zh: 问题已解决。
      en: The problem was solved.
  complaint:
    outcome: complaint-filed
    line:
      - zh: 我要投诉你。
        en: "I'm filing a complaint."
    summary:
      zh: 客户投诉。
      en: The customer complained.
{persona_events}"""


def skeleton(scenario_id: str, persona: Persona) -> str:
    events = ""
    if persona.events:
        events = (
            "  hung-up:\n    outcome: customer-hung-up\n    line:\n"
            "      - zh: 算了！\n        en: Forget it!\n    summary:\n"
            "      zh: 客户挂断了电话。\n      en: The customer hung up.\n"
            "on_persona_event:        # where the persona's forced events lead\n"
        )
        events += "".join(f"  {event}: hung-up\n" for event in persona.events)
    return TEMPLATE.format(id=scenario_id, persona=persona.id, persona_events=events)
