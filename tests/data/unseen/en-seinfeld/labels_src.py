# Labels for en-seinfeld, written by hand from the episode texts; run to write labels.json.
import json
from pathlib import Path

P = "data-raw/Seinfeld/txt/{}.txt"
L = [
 (29, (False, "novelty", "[At the comedy club] Jerry's stand-up about knife shops: 'I need knives. I need more knives.'"),
      (False, "punchline", "closing stand-up: he turned the guy into an alcoholic, 'He's finally off the wagon.' DICK: 'You mean on the wagon.' JERRY: 'Don't get smart.'")),
 (32, (False, "novelty", "[Opening Monologue] stand-up on people who try suicide and stop trying (dark subject, comic)"),
      (False, "punchline", "Kramer can't come to dinner, he's meeting 'a bunch of us from the islands'; 'Elle McPherson going to be there?' 'OH! I got to call her back.' (Kramer exits)")),
 (48, (False, "calm", "[Jerry's apartment] Jerry and George come in with plastic bags: 'She hasn't told her father yet?'"),
      (False, "punchline", "Elaine: 'Maybe I'll go visit my mother. She just bought me some new panties... all laid out for me.' Jerry and George look at each other, frozen")),
 (61, (False, "novelty", "[Opening Monologue] stand-up about the doggie bag on a date"),
      (False, "punchline", "Jerry leaves the smelly car to a punk, who gets in; closing stand-up: 'Why do we need B.O.?... You move, you stink.'")),
 (71, (False, "novelty", "[Opening Monologue] stand-up: 'I had glasses when I was ten years old... Anybody born with glasses?'"),
      (False, "punchline", "the boy: 'Thanks for ruining my daddy's business, you fat *beep*'; closing stand-up on cursing as a kid")),
 (77, (False, "novelty", "[Opening Monologue] 'we never should have landed a man on the moon... and taste my coffee!'"),
      (False, "punchline", "the four walk off leaving the woman holding the wine and cake box; closing stand-up on the hat with the flaps")),
 (80, (False, "novelty", "[Comedy Club] opening monologue: 'The bus is the single stupidest, fattest, slowest... vehicle on the road'"),
      (False, "punchline", "Daphne breaks up with George: she met someone he knows, 'Jerry Persheck.' 'Packyderm?' (doubtful: a reveal left standing, played as a button)")),
 (99, (False, "novelty", "[Opening Monologue] stand-up about the eyeglasses strap"),
      (False, "punchline", "Jake lunges for Lippman's glasses ('I want the glasses!'), a struggle ensues while Elaine slips out: 'Have to go look for some socks.' (doubtful: the fracas is left running)")),
 (103, (False, "novelty", "[Opening Monologue] stand-up about hair: a hair off the head becomes 'the vilest, most disgusting thing'"),
      (False, "punchline", "Kramer won't let Jerry into his party ('I'd invite you in, but...'); 'Oh, yeah, I understand.' Jerry peers through the narrowing gap until the door shuts")),
 (104, (False, "novelty", "[Opening Monologue] stand-up about the doorman strike"),
      (False, "punchline", "in bed beside Frank eating kasha, George puts the pillow over his own face as Frank switches his lamp back on")),
 (106, (False, "novelty", "[Opening Monologue] 'They call themselves exterminators but they can't really do it... bug realtors'"),
      (False, "punchline", "Elaine knocks at the Plaza suite; Leo: 'They said they were sending an Asian woman.' ELAINE: 'Oh! my God.' (doubtful: an awkward meeting cut off)")),
 (115, (False, "novelty", "[Opening Monologue] 'I always feel bad for the silver medal winner in the Olympics'"),
      (False, "punchline", "in the hot tub Steinbrenner rambles on while George, bored, slides down until his head and glasses are under water (doubtful: comic, not danger)")),
 (142, (False, "novelty", "George at a fruit stand: 'Dollar Eighty-Nine... Why is there no haggling in this country?'"),
      (False, "punchline", "a dummy's shadow scampers across the wall: 'Mr. Marbles?'; Elaine and Peterman in the jungle: 'The horror... the horror.'")),
 (146, (False, "calm", "Kramer and Emily in bed after lovemaking, satisfied: 'Well, that was alright, huh?'"),
      (False, "punchline", "Frank: 'That's it, we're going back to Queens. Where's my hat?' He walks out; ESTELLE: 'Nooh!'")),
 (168, (False, "novelty", "the waitress: 'Careful, this plate is extremely hot.' Elaine touches it: 'Thank you. Ow!'"),
      (False, "punchline", "Puddy's new coat with an 8-Ball; 'You're gonna wear this all the time?' 'All signs point to Yes!'")),
]
out = [{"file": P.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
