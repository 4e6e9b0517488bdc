# Labels for en-sherlock, written by hand from the transcript text; run to write labels.json.
import json
from pathlib import Path

P = "script/{}.txt"
L = [
 ("S01E01", (False, "calm", "ELLA (therapist): 'How's your blog going?' JOHN: 'Yeah, good. Very good.'"),
     (True, "new_information", "SHERLOCK: 'Moriarty.' JOHN: 'What's Moriarty?' 'I've absolutely no idea.' then MYCROFT raises their surveillance status to 'Grade Three Active' (doubtful: the case is closed, the threat is only named)")),
 ("S01E02", (False, "exposition", "SOO LIN, at a museum tea demonstration: 'The great artisans say the more the teapot is used, the more beautiful it becomes.'"),
     (True, "threat", "SHAN to the unseen M: 'I will not reveal your identity.' M: 'I AM CERTAIN.' (doubtful: the threat is implied by the typed reply; her fate is not in the text)")),
 ("S01E03", (False, "novelty", "SHERLOCK, interviewing a prisoner: 'Just tell me what happened, from the beginning.' BERWICK tells of a row with his wife (doubtful: a killing is being recounted, but as a calm interview played for a grammar joke)"),
     (True, "threat", "JIM at the pool: 'You can't be allowed to continue. You just can't.' SHERLOCK: 'Probably my answer has crossed yours.' - the armed standoff cut before its outcome")),
 ("S02E01", (True, "threat", "the pool standoff resumes: JIM: 'D'you mind if I get that?' SHERLOCK: 'No, no, please. You've got the rest of your life.'"),
     (False, "rescue", "flashback to Karachi, SHERLOCK to the condemned Irene: 'When I say run, run!' then 'The Woman. The Woman.' - she was saved")),
 ("S02E02", (False, "mood", "GRACE: 'Oh, hello. Are you all right? What is it, dear? Are you lost?' (doubtful: a frightened lost child, but no threat named in the line)"),
     (True, "new_information", "tag: MYCROFT: 'All right. Let him go.' - Moriarty released from custody (doubtful: a one-line tag whose subject is not named in the text)")),
 ("S02E03", (False, "calm", "ELLA: 'Why today?' JOHN: 'D'you want to hear me say it?' 'Eighteen months since our last appointment.' - grief after the death, no threat"),
     (False, "grief_image", "JOHN at the grave: 'one more miracle, Sherlock, for me. Don't ... be ... dead.' (doubtful: the text ends on the plea; nothing shows he is alive)")),
 ("S03E00", (True, "conflict", "WOMAN: 'You bastard!' (doubtful: an outburst with no context line)"),
     (True, "arrival", "SHERLOCK's recorded message: 'I'm going to be with you again very soon.' ANDERSON: 'He's coming back.'")),
 ("S03E01", (True, "danger", "on the rooftop: JOHN: 'Sherlock!' SHERLOCK: 'It's a trick. Just a magic trick.' 'No, stay exactly where you are. Don't move.' - the fall about to happen"),
     (False, "warm_image", "JOHN: 'I asked you to stop being dead.' SHERLOCK: 'I heard you. Anyway, time to go and be Sherlock Holmes.'")),
 ("S03E02", (False, "novelty", "LESTRADE: 'They just walked out of there!' DONOVAN: 'Yeah, I know. I was sort of sitting next to you.'"),
     (False, "punchline", "at the wedding dance, JOHN: 'Baker Street, behind closed curtains. Mrs Hudson came in one time. Don't know how those rumours started!'")),
 ("S03E03", (False, "exposition", "LADY SMALLWOOD at a hearing: 'Mr Magnussen, please state your full name for the record.'"),
     (True, "reveal", "JOHN: 'There's an East Wind coming.' then JIM: 'Miss me?' - the dead villain's return")),
 ("S04E01", (False, "novelty", "MYCROFT briefing: 'What you're about to see is classified beyond top secret.' SHERLOCK: 'Of course I'm not tweeting.'"),
     (True, "new_information", "after Mary's death, her recorded message: 'Go to Hell, Sherlock.' - a posthumous instruction whose meaning is not yet shown (doubtful: the episode rests on grief and a voice-over)")),
 ("S04E02", (False, "calm", "WOMAN (therapist): 'Tell me about your morning. Start from the beginning.' JOHN: 'I woke up.'"),
     (True, "reveal", "THERAPIST/EURUS: 'I'm Eurus ... Sherlock's secret brother might just be Sherlock's secret sister? ... I think I'll put a hole in it.' - a gun on John at the cut")),
 ("S04E03", (True, "danger", "GIRL: 'Mummy! Wake up! ... I'm on a plane and everyone's asleep. Help me!'"),
     (False, "warm_image", "MARY's posthumous voice-over: 'The best and wisest men I have ever known. My Baker Street boys. Sherlock Holmes and Doctor Watson.'")),
 ("Special", (False, "voice_over", "WATSON (voice-over): 'The second Afghan War brought honours and promotion to many... but for me it meant nothing but misfortune and disaster.'"),
     (False, "calm_image", "HOLMES: 'I've always known I was a man out of his time.'")),
]
out = [{"file": P.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
