"""The offline reading of readout-style sentences: who visited whom, events and allies
that are no participants, offices "of" a department, requests to several recipients.
Each passage is written for these tests."""

from __future__ import annotations

from summarizer import Meeting, Summary, summarize
from summarizer.article import Article
from summarizer.extraction.candidates import find_people


def _read(text: str) -> Summary:
    return summarize(text, cache=False)


def _names(summary: Summary, ids: list[str]) -> list[str]:
    names = {a.id: a.name for a in summary.actors}
    return [names[i] for i in ids]


def _visit(summary: Summary, meeting: Meeting) -> list[str]:
    """The visitor's and the host's names."""
    return _names(summary, [meeting.visitor or "", meeting.host or ""])


def test_the_one_after_visiting_is_the_visitor() -> None:
    summary = _read(
        "President Ana Rossi met visiting Chilean Foreign Minister Pablo Ortega in Lima on Monday."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Pablo Ortega", "Ana Rossi"]


def test_a_newspaper_is_no_person() -> None:
    text = "Holm met Chancellor Felix Brandt, a reporter for the Berliner Zeitung said."
    assert [p.name for p in find_people(Article(text))] == ["Felix Brandt"]


def test_an_event_is_no_person() -> None:
    text = (
        "Secretary Olga Berg met with Finance Minister Tomas Varga at the OECD Foreign "
        "Ministerial in Paris, then spoke at the Baltic Energy Conference."
    )
    assert [p.name for p in find_people(Article(text))] == ["Olga Berg", "Tomas Varga"]


def test_allies_named_after_their_alliance_met_not_the_alliance() -> None:
    summary = _read("They welcomed talks between NATO allies Norway and Denmark on Friday.")
    participants = {n for m in summary.meetings for n in _names(summary, m.participants)}
    assert "NATO" not in participants


def test_an_office_of_a_department_is_a_title_not_part_of_the_name() -> None:
    people = find_people(
        Article("Secretary of Agriculture Ruth K. Alder met Minister of Foreign Affairs Omar Said.")
    )
    assert [(p.name, p.title) for p in people] == [
        ("Ruth K. Alder", "Secretary of Agriculture"),
        ("Omar Said", "Minister of Foreign Affairs"),
    ]


def test_a_request_to_several_recipients_is_put_to_all_of_them() -> None:
    summary = _read(
        "Envoy Clara Mendes urged Bolivia and Paraguay to reopen the border crossing. "
        "Mendes also called on Peru, Chile and Ecuador to send observers."
    )
    recipients = [_names(summary, p.recipients) for p in summary.proposals]
    assert ["Bolivia", "Paraguay"] in recipients
    assert ["Peru", "Chile", "Ecuador"] in recipients


def test_talks_someone_is_urged_to_hold_are_the_requests_content_not_a_meeting() -> None:
    summary = _read(
        "Envoy Clara Mendes urged Bolivia and Paraguay to resume border talks on Monday."
    )
    assert summary.meetings == []
    [request] = summary.proposals
    assert _names(summary, request.recipients) == ["Bolivia", "Paraguay"]


def test_an_invitation_to_visit_is_a_planned_meeting_but_one_to_join_a_summit_is_not() -> None:
    visit = _read("President Ana Rossi invited President Daniel Mwangi to visit Lima next year.")
    assert [m.status for m in visit.meetings] == ["planned"]
    summit = _read(
        "President Ana Rossi invited President Daniel Mwangi to join the regional summit."
    )
    assert summit.meetings == []


def test_who_travels_to_meet_someone_is_the_visitor_and_where_is_the_place() -> None:
    summary = _read(
        "Defense Minister Oleg Markov will travel to Hanoi next week to meet Vietnamese "
        "Defense Minister Tran Van Long."
    )
    [meeting] = summary.meetings
    assert meeting.status == "planned" and meeting.place == "Hanoi"
    assert _visit(summary, meeting) == ["Oleg Markov", "Tran Van Long"]


def test_an_answer_in_a_later_sentence_is_the_status_of_the_proposal_it_answers() -> None:
    summary = _read(
        "Envoy Clara Mendes urged Bolivia and Paraguay to reopen the border crossing. "
        "Paraguay rejected Mendes's request on Friday."
    )
    [request] = summary.proposals
    assert request.status == "rejected" and len(request.evidence) == 2


def test_a_readouts_headline_and_first_line_are_one_call_with_the_fullest_name() -> None:
    summary = _read(
        "Readout of Secretary Halvorsen's Call with Latvian Foreign Minister Ilze Ozola\n\n"
        "Secretary Erik Halvorsen spoke today with Latvian Foreign Minister Ilze Ozola. "
        "They discussed regional security."
    )
    [call] = summary.meetings
    assert sorted(_names(summary, call.participants)) == ["Erik Halvorsen", "Ilze Ozola"]
    assert call.mode == "phone" and call.date_text == "today" and len(call.evidence) == 2


def test_whoever_accepts_an_invitation_is_its_recipient_not_the_place_it_names() -> None:
    summary = _read(
        "President Ellis hosted Prime Minister Rana Kapoor at the White House today. "
        "President Ellis accepted Prime Minister Kapoor's invitation to visit New Delhi."
    )
    [invitation] = summary.proposals
    assert _names(summary, [invitation.proposer]) == ["Rana Kapoor"]
    assert _names(summary, invitation.recipients) == ["Ellis"]
    assert invitation.status == "accepted"


def test_a_host_named_in_the_next_sentence_is_the_meetings_host() -> None:
    summary = _read(
        "Foreign Minister Ingrid Dahl held talks with her counterpart Juha Niemi on Tuesday. "
        "The meeting was hosted by Niemi at the Foreign Ministry in Helsinki."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Ingrid Dahl", "Juha Niemi"]
    assert meeting.place == "Helsinki" and len(meeting.evidence) == 2


def test_a_news_outlet_interviews_and_a_virtual_summit_is_by_video() -> None:
    interview = _read("Reuters spoke with envoy Clara Mendes about her trip to Asuncion.")
    assert interview.meetings == []
    summit = _read(
        "President Ana Rossi and Prime Minister Tomas Varga met at a virtual summit on Friday."
    )
    assert [m.mode for m in summit.meetings] == ["video"]


def test_talks_renamed_in_an_apposition_are_still_the_requests_content() -> None:
    summary = _read(
        "Officials of Peru blamed the rebels for the violence and called on both sides to "
        "resume stalled peace talks, known as the Lima negotiations."
    )
    assert summary.meetings == []


def test_an_answer_to_the_request_in_a_later_sentence_sets_its_status() -> None:
    summary = _read(
        "President Ana Rossi asked Prime Minister Tomas Varga for a loan. Varga denied the "
        "request and asked instead for reforms."
    )
    loan = next(p for p in summary.proposals if _names(summary, [p.proposer]) == ["Ana Rossi"])
    assert loan.status == "rejected" and len(loan.evidence) == 2


def test_the_second_verb_of_one_subject_has_that_subject() -> None:
    summary = _read(
        "Envoy Clara Mendes blamed Paraguay for the delay and urged Bolivia to reopen the "
        "border crossing."
    )
    [request] = summary.proposals
    assert _names(summary, [request.proposer]) == ["Clara Mendes"]
    assert _names(summary, request.recipients) == ["Bolivia"]


def test_a_proposal_of_two_owners_is_one_proposal_of_each() -> None:
    summary = _read("Egypt and Qatar proposed a ceasefire to Hamas on Monday.")
    proposers = sorted(_names(summary, [p.proposer])[0] for p in summary.proposals)
    assert proposers == ["Egypt", "Qatar"]
    assert all(_names(summary, p.recipients) == ["Hamas"] for p in summary.proposals)


def test_a_name_without_a_title_that_meets_someone_is_a_person() -> None:
    summary = _read("Kim Jong Un met visiting Russian Defense Minister Oleg Markov in Pyongyang.")
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Oleg Markov", "Kim Jong Un"]
    assert meeting.place == "Pyongyang"


def test_an_organisation_met_with_is_no_person() -> None:
    text = "The envoy Ruth Amari met with Human Rights Watch in Geneva."
    assert [p.name for p in find_people(Article(text))] == ["Ruth Amari"]


def test_the_tense_of_a_quotation_is_not_the_meeting_s() -> None:
    summary = _read(
        '"We will not accept this," the EU\'s special envoy, Tomas Lindqvist, said after '
        "meeting Serbian President Goran Ilic in Belgrade."
    )
    [meeting] = summary.meetings
    assert meeting.status == "happened"
    assert _names(summary, meeting.participants) == ["Tomas Lindqvist", "Goran Ilic"]


def test_a_described_subject_meets_and_a_later_she_is_the_same_person() -> None:
    summary = _read(
        "Ambassador Linda Gray-Fields will travel to Albania and Poland next month. In Tirana, "
        "the Ambassador will meet with Prime Minister Edi Kola. In Warsaw, she will meet with "
        "Foreign Minister Adam Nowak."
    )
    got = sorted((_names(summary, m.participants), m.place, m.status) for m in summary.meetings)
    assert got == [
        (["Linda Gray-Fields", "Adam Nowak"], "Warsaw", "planned"),
        (["Linda Gray-Fields", "Edi Kola"], "Tirana", "planned"),
    ]


def test_the_vice_president_is_the_one_with_both_words_in_the_title() -> None:
    summary = _read(
        "Vice President Karen Ellis held a virtual meeting with Guatemalan President Luis "
        "Ortega. The Vice President urged President Ortega to combat corruption."
    )
    [proposal] = summary.proposals
    assert _names(summary, [proposal.proposer or ""]) == ["Karen Ellis"]
    assert _names(summary, proposal.recipients) == ["Luis Ortega"]


def test_a_building_is_where_they_met_and_a_gathering_is_not() -> None:
    white_house = _read(
        "President Helen Marsh met today with Prime Minister Jonas Berg of Norway at the "
        "White House."
    )
    assert [m.place for m in white_house.meetings] == ["White House"]
    ministerial = _read(
        "Secretary Olga Berg met with Finance Minister Tomas Varga at the OECD Ministerial "
        "in Paris."
    )
    assert [m.place for m in ministerial.meetings] == ["Paris"]


def test_the_side_met_in_its_own_country_is_the_host() -> None:
    summary = _read(
        "Secretary of State Ann Bell met with Georgian Foreign Minister Levan Chkheidze in "
        "Tbilisi on Monday."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Ann Bell", "Levan Chkheidze"]
    elsewhere = _read("Chinese President Li Wei met Russian President Ivan Sokolov in Geneva.")
    assert [(m.visitor, m.host) for m in elsewhere.meetings] == [(None, None)]


def test_visiting_after_met_today_with() -> None:
    summary = _read(
        "Secretary of State Margaret L. Haverford met today with visiting Romanian Foreign "
        "Minister Ioana Mihailescu at the Department of State."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Ioana Mihailescu", "Margaret L. Haverford"]


def test_a_description_after_the_request_word_is_its_recipient() -> None:
    summary = _read(
        "Vice President Harlan J. Mercer hosted Crown Prince Faisal bin Nasser. The Vice "
        "President urged the crown prince to expand ties with Israel. Kenyan President Joseph "
        "Langat met Secretary of State Ann Bell. President Langat asked the Secretary to help "
        "secure funding."
    )
    got = [
        (_names(summary, [p.proposer or ""]), _names(summary, p.recipients))
        for p in summary.proposals
    ]
    assert got == [
        (["Harlan J. Mercer"], ["Faisal bin Nasser"]),
        (["Joseph Langat"], ["Ann Bell"]),
    ]


def test_an_answer_by_the_minister_of_the_state_asked_sets_its_status() -> None:
    summary = _read(
        "Deputy Secretary Daniel R. Okafor offered Indonesia technical assistance. Indonesian "
        "Vice Foreign Minister Rahmat Siregar accepted the offer."
    )
    [offer] = [p for p in summary.proposals if p.kind == "offer"]
    assert offer.status == "accepted"


def test_a_visit_to_a_seat_with_its_host_named_after() -> None:
    summary = _read(
        "Crown Prince Faisal bin Nasser of Bahrain visited the White House on Thursday for "
        "talks. Vice President Harlan J. Mercer hosted the meeting."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Faisal bin Nasser", "Harlan J. Mercer"]
    assert meeting.place == "White House"


def test_an_invitation_to_visit_is_a_planned_visit_of_the_one_invited() -> None:
    summary = _read(
        "President Eleanor Marsh invited President Park Min-jae to make a State Visit to "
        "Washington next spring."
    )
    [meeting] = summary.meetings
    assert (meeting.status, meeting.place) == ("planned", "Washington")
    assert _visit(summary, meeting) == ["Park Min-jae", "Eleanor Marsh"]


def test_a_call_has_no_place_and_a_later_meeting_of_descriptions_is_found() -> None:
    summary = _read(
        "Secretary of State Ann Bell held a video call today with Canadian Foreign Minister "
        "Elise Roy to discuss the upcoming review of the trade agreement. The Secretary will "
        "meet the Foreign Minister in Ottawa next week."
    )
    got = [(m.mode, m.place, m.status) for m in summary.meetings]
    assert got == [("video", None, "happened"), ("in_person", "Ottawa", "planned")]


def test_where_the_story_travelled_decides_the_host() -> None:
    summary = _read(
        "Secretary of State Margaret L. Haverford traveled to Nairobi, Kenya, on Wednesday. "
        "In the morning, the Secretary met with Kenyan President Joseph Langat at State House."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Margaret L. Haverford", "Joseph Langat"]
    assert "Kenya" not in [a.name for a in summary.actors if a.id in meeting.participants]


def test_a_day_in_the_opening_phrase_dates_the_meeting() -> None:
    import datetime as dt

    summary = summarize(
        "In Tbilisi on October 8, Under Secretary Ann Bell will meet with Georgian Foreign "
        "Minister Levan Chkheidze.",
        cache=False,
        published=dt.date(2024, 10, 1),
    )
    [meeting] = summary.meetings
    assert (str(meeting.date), meeting.status, meeting.place) == (
        "2024-10-08",
        "planned",
        "Tbilisi",
    )


def test_a_call_the_meeting_is_dated_by_is_a_meeting_of_its_own() -> None:
    import datetime as dt

    summary = summarize(
        "Secretary of State Julian P. Ashcombe met with Lithuanian Foreign Minister Rokas "
        "Vaitkevicius in Brussels on Thursday, following up on their Monday call.",
        cache=False,
        published=dt.date(2023, 12, 1),
    )
    got = [(m.mode, m.place, m.status, str(m.date)) for m in summary.meetings]
    assert got == [
        ("phone", None, "happened", "2023-11-27"),
        ("in_person", "Brussels", "happened", "2023-11-30"),
    ]


def test_an_unnamed_spokesperson_speaks_for_the_body_introduced_with() -> None:
    summary = _read(
        "A State Department spokesperson told reporters on Monday that sanctions must stay. "
        '"Now is not the time for relief," said the spokesperson.'
    )
    [quoted] = [s for s in summary.statements if s.quote is not None]
    assert _names(summary, [quoted.speaker or ""]) == ["State Department"]


def test_a_courtesy_call_is_a_visit_and_a_call_on_someone_to_act_a_request() -> None:
    call = _read(
        "U.S. Ambassador Lydia F. Carrow called on Secretary-General Kao Sovannarith at the "
        "ASEAN Secretariat in Jakarta on Tuesday."
    )
    [meeting] = call.meetings
    assert (meeting.mode, meeting.place, call.proposals) == ("in_person", "Jakarta", [])
    assert _visit(call, meeting) == ["Lydia F. Carrow", "Kao Sovannarith"]
    request = _read("Secretary Julian Ashcombe called on Turkey and Greece to resume their talks.")
    assert request.meetings == []
    assert [_names(request, p.recipients) for p in request.proposals] == [["Turkey", "Greece"]]


def test_both_sides_pledge_to_each_other_and_ask_together() -> None:
    summary = _read(
        "Secretary of State Vivian Marchetti met New Zealand Foreign Minister Aroha Tipene in "
        "Wellington. The two leaders committed to concluding talks on space cooperation. Both "
        "sides called on Russia to end the war."
    )
    got = [
        (p.kind, _names(summary, [p.proposer or ""]), _names(summary, p.recipients))
        for p in summary.proposals
    ]
    assert got == [
        ("pledge", ["Vivian Marchetti"], ["Aroha Tipene"]),
        ("pledge", ["Aroha Tipene"], ["Vivian Marchetti"]),
        ("request", ["Vivian Marchetti"], ["Russia"]),
        ("request", ["Aroha Tipene"], ["Russia"]),
    ]


def test_the_two_leaders_last_met_is_a_meeting_of_the_two() -> None:
    summary = _read(
        "President Jonathan Harrow spoke by phone with Prime Minister Tane Whakarongo of New "
        "Zealand on Monday. The two leaders last met in Apia in June."
    )
    got = [(_names(summary, m.participants), m.mode, m.place) for m in summary.meetings]
    assert got == [
        (["Jonathan Harrow", "Tane Whakarongo"], "phone", None),
        (["Jonathan Harrow", "Tane Whakarongo"], "in_person", "Apia"),
    ]


def test_a_city_the_gazetteer_knows_places_the_host() -> None:
    summary = _read(
        "Secretary of State Vivian Marchetti met New Zealand Foreign Minister Aroha Tipene "
        "in Wellington."
    )
    [meeting] = summary.meetings
    assert _visit(summary, meeting) == ["Vivian Marchetti", "Aroha Tipene"]


def test_a_cabinet_office_says_its_state_and_a_third_country_says_nothing() -> None:
    home = _read(
        "Secretary of State Lucas Pemberton met Chilean Foreign Minister Matias Valdes in "
        "Washington on Tuesday."
    )
    [meeting] = home.meetings
    assert _visit(home, meeting) == ["Matias Valdes", "Lucas Pemberton"]
    abroad = _read(
        "Secretary of State Julian Ashcombe met Lithuanian Foreign Minister Rokas Vaitkevicius "
        "in Brussels."
    )
    assert [(m.visitor, m.host) for m in abroad.meetings] == [(None, None)]


def test_an_accepted_invitation_from_someone_to_visit_a_city() -> None:
    summary = _read(
        "Foreign Minister Ana Costa accepted an invitation from her Spanish counterpart Luis "
        "Vega to visit Madrid."
    )
    [invitation] = summary.proposals
    assert _names(summary, [invitation.proposer or ""]) == ["Luis Vega"]
    assert (_names(summary, invitation.recipients), invitation.status) == (
        ["Ana Costa"],
        "accepted",
    )
    [meeting] = summary.meetings
    assert (_visit(summary, meeting), meeting.place, meeting.status) == (
        ["Ana Costa", "Luis Vega"],
        "Madrid",
        "planned",
    )


def test_all_parties_to_a_conflict_are_one_group_of_recipients() -> None:
    summary = _read(
        "The Acting Special Envoy Douglas Talbot called on all parties to the conflict to "
        "release detained staff. U.S. officials called on all warring parties to reduce "
        "hostilities."
    )
    got = [
        (_names(summary, [p.proposer or ""]), _names(summary, p.recipients))
        for p in summary.proposals
    ]
    assert got == [
        (["Douglas Talbot"], ["all parties to the conflict"]),
        (["U.S. officials"], ["all warring parties"]),
    ]
    kinds = {a.name: a.kind for a in summary.actors}
    assert kinds["all warring parties"] == "group"


def test_both_sides_pledge_to_each_other_whoever_else_the_sentence_names() -> None:
    summary = _read(
        "Both sides committed to new talks after Foreign Minister Ana Ruiz met Foreign "
        "Minister Omar Said."
    )
    got = [
        (_names(summary, [p.proposer or ""]), _names(summary, p.recipients))
        for p in summary.proposals
    ]
    assert got == [(["Ana Ruiz"], ["Omar Said"]), (["Omar Said"], ["Ana Ruiz"])]
