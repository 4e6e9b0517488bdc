# Labels for en-tng-teasers, written by hand from the teaser texts; run to write labels.json.
import json
from pathlib import Path

P = "data2/teasers/{}.txt"
L = [
 ("029", (False, "establishing", "'as it moves through space at impulse speed' + Picard's log: travelling in the Omega Twelve system"),
         (False, "calm_image", "the rogue Okona is about to be beamed aboard; Riker: 'The unexpected... IS our normal routine.' Picard muses, nods (doubtful: an arrival still to play)")),
 ("033", (False, "establishing", "'as it travels through space at warp speed' - the bridge crew at their stations"),
         (False, "warm_image", "at phaser practice Riker volunteers for the Klingon exchange ('nobody has ever done it before'); Picard smiles and walks away")),
 ("051", (False, "establishing", "'Cruising at warp speed.' + Picard's log: resupplying an anthropological outpost"),
         (True, "danger", "the duck blind is exposed, Barron lies unconscious, Palmer has fallen out of it and wandered off; 'We've lost contact, sir.' 'Increase to warp nine.' - streaking to the rescue")),
 ("065", (False, "establishing", "'in orbit around a blue-green planet.' + Picard's log: the plague eradicated"),
         (True, "reveal", "Picard has been abducted to a cell; at his quarters door a 'perfect replica of Picard' asks Worf 'Is something the matter, Lieutenant?' - an impostor aboard")),
 ("077", (False, "establishing", "'The Spacedock in orbit around Earth' + Picard's log: the ship under refit"),
         (False, "farewell", "Picard takes a long look around his cabin before going home to his village ('could this be a last look?') and exits")),
 ("083", (False, "voice_over", "'The ship stopped in space.' Data's personal log to Commander Maddox begins"),
         (False, "punchline", "Data tells O'Brien that Keiko cancelled the wedding; O'Brien storms out; Data's V.O.: 'my program designed to predict emotional responses needs... adjustment.' (doubtful: the cancelled wedding is left open)")),
 ("086", (False, "establishing", "'Establish the ship travelling across... interstellar dust clouds.' + Picard's log: extra personal time for the crew"),
         (True, "new_information", "a wormhole opens on top of the ship, a dazzling light fills the Bridge, then 'fades to normal'; Data turns from his instruments to survey the Bridge - what happened is unseen (doubtful)")),
 ("104", (False, "calm", "a plush bedroom suite on Risa, champagne; Riker playfully hunts Etana behind a screen"),
         (True, "threat", "Riker clears level after level of the game, gasping with pleasure: 'How far does this game go?' 'As far as you can take it.' - an ominous hook (doubtful)")),
 ("106", (False, "establishing", "'The ship is docked at the starbase' - then the Admiral apologises for the mystery"),
         (True, "reveal", "the enhanced long-range image from Romulus shows Spock in Romulan clothing; 'Picard's shocked face'")),
 ("107", (False, "exposition", "'at warp speed.' + Picard's log: an asteroid has struck Penthara Four, a dust cloud could cause a nuclear winter"),
         (True, "arrival", "a flash and Rasmussen appears on the bridge: 'I've traveled back nearly three hundred years just to find you.' Off their reactions")),
 ("109", (False, "exposition", "'at warp.' + Picard's log: Starbase 514 lost contact with the research vessel Vico two days ago (doubtful: a question is set up in the log)"),
         (True, "danger", "in the wrecked Vico a boy of ten trapped beneath a fallen bulkhead: 'Are my parents alright?' OFF their reactions")),
 ("118", (True, "danger", "'The atmosphere on the bridge is tense -- they're in the middle of a pursuit and racing against a clock. Red alert is already on.' 'Forward tubes armed'"),
         (True, "new_information", "the asteroid is destroyed, but twinkling bits of it 'make contact with, and adhere to, the ship itself' - with Twinkling Stuff attached to its hull")),
 ("146", (False, "establishing", "'at impulse.' - then Beverly enters her quarters agitated and starts packing"),
         (True, "reveal", "Beverly to Guinan: 'you'd better get a new one... because I'm not a doctor on this ship anymore.' OFF their reactions (the parsed teaser repeats its first half)")),
 ("150", (False, "novelty", "Data plays poker with holodeck Hawking, Einstein and Newton; Hawking finishes an esoteric joke"),
         (True, "arrival", "searching the silent outpost, Data bypasses a jammed door: 'The door suddenly OPENS and reveals a BORG STANDING IN THE DOORWAY.'")),
 ("172", (False, "mood", "'RIKER, DATA and WORF are at their usual stations... There's a feeling of urgency in the air. PICARD ENTERS' (doubtful: urgency stated, stakes come a beat later with the approaching probe)"),
         (True, "threat", "Bok's hologram: 'Jason Vigo is as good as dead... I'm going to kill your son, Picard' - Picard baffled; the hologram disappears")),
]
out = [{"file": P.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
