# Labels for en-ifrost-shorts, written by hand from the script text; run to write labels.json.
import json
from pathlib import Path

L = [
 ("files/a-shoulder-to-cry-on.fountain", (False, "calm", "'Sunny day. MARIA (30), walks down the street. She counts pavement tiles with her feet.'"),
     (False, "warm_image", "back to the first scene: Maria draws a girl holding hands with the parents beside the boy's drawing, 'She smiles and whispers silent \"thank you\".' FADE OUT")),
 ("files/gut-factor.fountain", (False, "establishing", "'A taxi stops by a skyscraper topped with \"Raquette\" company logo'"),
     (False, "resolution", "the spy's sabotage has worked: people leave the conference hall, 'Among them X. Smiling. The police enter the building.' FADE OUT")),
 ("files/heads-or-tails.fountain", (False, "mood", "'BLACK SCREEN: The CROWD ROARS.' announcer (V.O.): 'Let's get ready to rumble!' - the boxer's frantic search comes after"),
     (True, "danger", "the doctor shocks Mike's heart ('Four hundred. Clear!'); his lucky coin spins on the floor, 'Just before the coin settles the screen fades out to black.'")),
 ("files/how-to-be-a-bad-screenwriter.fountain", (False, "mood", "'PROTAGONIST (20s) sleeps on a chair in a white, illuminated room, no windows, just massive doors.' (doubtful: the tied hands come two paragraphs later)"),
     (False, "punchline", "he opens the door onto the same white room and an old man blowing him a kiss, screams; 'VOICE (V.O.) How about a sequel?' - a meta joke (doubtful: he is still trapped)")),
 ("files/listen-to-your-heart.fountain", (False, "establishing", "'An old black Chevrolet rides through a road splitting vast fields into two infinite halves. The sun is setting down on the horizon.'"),
     (False, "warm_image", "Amy escapes the farm, kisses Karl and they drive off singing 'Listen to your heart'; FADE OUT")),
 ("files/sunflower.fountain", (False, "mood", "'The sun breaks through the clouds. CHRIS (30) turns his head towards the sun... Bathed in the sun.'"),
     (False, "grief_image", "'I am sure it will be much better.' (mocking himself) 'Perfecto.' 'Chris smiles, but his eyes fill with tears.' FADE OUT")),
 ("files/the-dead-end.fountain", (False, "calm", "'.INSERT - PHOTO A HAND holds a photo of a cheerful couple.' (doubtful: the next beat flips it to an escape plan)"),
     (False, "grief_image", "the prison break was a patient's fantasy; Harry draws a path through a maze '...and reaches a dead end.' FADE OUT")),
 ("files/torn.fountain", (False, "mood", "'Dying autumn spreads a gloomy afternoon over a mid-class family housing.' - the near miss with the motorbike comes later"),
     (False, "grief_image", "Malcolm is dead, the surgeon takes his body away; the clock ticks louder; 'A little crack appears on the glass.' FADE TO BLACK (doubtful: the crack could be read as a threat)")),
]
out = [{"file": f, "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for f, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
