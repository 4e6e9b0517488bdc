# Labels for en-avatar, written by hand from the transcript texts; run to write labels.json.
import json
from pathlib import Path

P = "最后的气宗 英文剧本/{}.txt"
L = [
 (108, (False, "establishing", "'(Scene opens with a shot of the bright full moon over a mountain range...) Aang is frustratedly pulling on Appa's reins' - 'Let's go Appa!'"),
       (False, "warm_image", "flying away from the ruined Fire Temple, Katara, Sokka and Momo come to sit by the downcast Aang; the moon grows brighter; fade to white")),
 (116, (False, "calm", "'Opening shot of the forest floor... late afternoon'; Momo flies to a notice board the kids are inspecting"),
       (False, "punchline", "Katara has healed Aang's burn; Sokka thanks her for all the first aid over the years: 'Two fish hooks in my thumb!' '...That was great. Really helpful.'")),
 (118, (False, "novelty", "open water, a koala otter backstrokes into view and ducks as Appa passes; Sokka: 'can't Appa fly any higher?'"),
       (True, "threat", "Zhao: 'My fleet is ready. Set a course for the Northern Water Tribe.' - dozens of Fire Navy ships fire up their engines for the final assault")),
 (120, (True, "conflict", "'four massive fireballs arcing over the Water City walls and into the city... the battle for the survival of the Northern Water Tribe has begun in earnest'"),
       (True, "threat", "in the throne room the Fire Lord to the kneeling Azula: 'Iroh is a traitor and your brother Zuko is a failure. I have a task for you...' fade to white")),
 (205, (False, "calm", "'an early morning scene... a shoreline'; Appa, Katara and Sokka asleep"),
       (False, "punchline", "the new festival food, unfried dough 'to remind us the Avatar was not boiled in oil'; Sokka: 'This is by far the worst town we've ever been to.'")),
 (206, (False, "establishing", "(after the intro and recap) 'a pan right shot of a village nestled on low hills'; a green bag in a shop, Sokka: 'It's pricey, but I really do like it.'"),
       (True, "threat", "Lao hires Xin Fu and Master Yu: 'The Avatar has kidnapped my daughter. I want you to do whatever it takes to bring her back home.' - then Toph content in Appa's saddle as they fly off (doubtful: the last image is calm)")),
 (208, (False, "calm", "the sun setting over hills; the gang, now with Toph, in a dried-up creek, Appa shedding fur"),
       (False, "calm_image", "Zuko drives them off ('Leave!'); the four leave him and Iroh in the burning town, then land on a mountainside and sleep peacefully; fade to white")),
 (215, (False, "calm", "the title card for 'The Tale of Toph and Katara' fades into the gang's house in Ba Sing Se; Aang's head in a mirror"),
       (False, "grief_image", "Momo lies down in rain holding Appa's fur, in Appa's footprint - 'the only signature of his long lost friend'; fade to white (doubtful: a clue found, read as a resting image)")),
 (302, (False, "mood", "the camera pans up the volcano to the palace; Zuko tossing and turning, unable to sleep"),
       (True, "threat", "Zuko to the hired assassin: 'The Avatar's alive. I want you to find him. And end him.' - close-up on Combustion Man's eye tattoo, scary music")),
 (305, (False, "spectacle", "a calm sea, 'Suddenly, a giant Sea Lion bursts through the surface with a shrill cry' - it is pulling a Fire Nation ship; Ty Lee: 'so excited to spend the weekend on Ember Island' (doubtful: a startling image without stakes)"),
       (False, "warm_image", "'Party's over.' - the four wreck Chan's party, then stand arm in arm, pleased, a wall of flame behind them")),
 (306, (False, "exposition", "Roku emerges through a wall of fire in Aang's dream: 'it's time you learned my history with Fire Lord Sozin... Meet me on my home island' (doubtful: a summons, no stakes yet)"),
       (False, "warm_image", "the gang hold hands looking out to the ocean: 'Oh, Sokka, just hold hands.' The camera pans out and fades")),
 (312, (False, "mood", "Appa still in armour and the group trudging over barren land under a blazing sun, heads down, dejected"),
       (True, "threat", "Katara to Zuko: 'give me one reason to think you might hurt Aang... I'll make sure your destiny ends right then and there... permanently.' She walks out (doubtful: a warning left standing)")),
 (314, (False, "calm", "night at the Western Air Temple; Zuko pours tea: 'No one can make tea like Uncle.'"),
       (True, "arrival", "a prisoner steps out of the gondola: it is Hakoda; Sokka widens his eyes: 'Dad.' - 'To Be Continued...'")),
 (317, (False, "establishing", "'a scenic view of Fire Lord Ozai's beach house... on Ember Island'; two figures firebending at a derelict target"),
       (False, "punchline", "walking off after the play: 'That... wasn't a good play.' 'I'll say.' ... Sokka: 'But the effects were decent.'")),
 (321, (True, "conflict", "the dried-up sea bed; Ozai sends curved fire blasts at Aang's rock ball - the final duel under way"),
       (False, "warm_image", "at Iroh's tea shop Katara and Aang kiss as the camera pans up to the sunset; 'The End' appears, fade to white")),
]
out = [{"file": P.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
