# Labels for en-friends, written by hand from the transcript text; run to write labels.json.
import json
from pathlib import Path

L = [
 ("0301", (False, "novelty", "[Scene Central Perk, the whole gang is entering] Joey: 'I'm tellin' ya that girl totally winked at me.'"),
     (False, "punchline", "Ross, trying to tell Rachel something, turns to find his mother there instead: 'I hate Chandler, the bastard ruined my life.' Rachel's 'What the hell is going on?' look")),
 ("0306", (False, "novelty", "Janice: 'Janice has a question. Who of the six of you has slept with the six of you?'"),
     (False, "punchline", "flashback: Rachel's friends ask what she was thinking about: 'Um, (shyly) Barry.' 'Awwww!!'")),
 ("0320", (False, "novelty", "Chandler: 'You're telling me this actress person is the only woman you ever wanted who didn't want you back?!'"),
     (False, "punchline", "tag: Joey phones his old conquests one by one to apologise, and ends up asking a mother if her daughter is home")),
 ("0417", (False, "novelty", "Chandler watches TV while Mr. Treeger groans in the bathroom: 'Ohhh, man!!'"),
     (False, "punchline", "Chandler turns on the TV: 'FREE PORN!!!' 'Yeah!!' 'We have free porn here!!!'")),
 ("0421", (False, "calm", "Chandler: 'Y'know what? It seems like all of the sudden; so much has happened.'"),
     (False, "punchline", "Joey and Chandler plan their London trip: 'If we do that, we gotta get Die Hard.' 'I bet the British version is gooooood!'")),
 ("0511", (False, "establishing", "a New Year's party at Monica and Rachel's, everyone watching Jay Leno's coverage from Times Square"),
     (False, "punchline", "tag: Chandler gives up his no-jokes resolution and fires off jokes at everyone's resolutions")),
 ("0605", (True, "conflict", "Rachel and Ross storm in arguing: 'I cannot believe that you didn't tell me that we are still married!!'"),
     (False, "punchline", "Joey's 'Porsche' under the car cover collapses when a man lands on it: it was a pile of boxes")),
 ("0702", (False, "calm", "Joey enters with a loaf of bread at breakfast: 'Who wants French toast?'"),
     (False, "punchline", "Rachel calls Joey's bluff ('Get those clothes off!'); 'I don't want to, I'm scared.' She walks away pleased")),
 ("0812", (False, "novelty", "Phoebe, standing by a huge gift-wrapped object: 'Hey! I got you a present!!'"),
     (False, "punchline", "Ross, still on in-line skates, rolls out of control into the hall mid-lecture and breaks his pointer")),
 ("0817", (False, "calm", "Rachel knocks on Joey's door: 'Joey? Are you in there?'"),
     (False, "punchline", "Mona asks to keep Ross's shirt 'to remember you'; Ross laughs: 'No.' and takes it back")),
 ("0907", (False, "novelty", "Ross to baby Emma after changing her: 'no matter what mommy says, we really were on a break.'"),
     (False, "punchline", "Ross and Rachel, rapping 'Baby Got Back', turn to see the gang in the doorway: 'Rachel please! That is so inappropriate!'")),
 ("0920", (False, "calm", "Joey enters: 'Hey, you guys, what are you doing tomorrow night?' Chandler: 'falling asleep in front of the TV.'"),
     (False, "punchline", "Chandler, found out: 'Can't believe you guys bought that, enjoy your slow death (runs away).'")),
]
out = [{"file": f"season_txt/{n}.txt", "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
