# Labels for zh-wulin, written by hand from the script text; run to write labels.json.
import json
from pathlib import Path

P = "documents/武林外传/ep{:02d}.txt"
L = [
 (13, (False, "exposition", "(客房-日) '由于右手手指骨折，老白被掌柜的安排到客房养伤……手伤似乎已完全康复' - a comic set-up"),
     (False, "punchline", "Lao Luo brings 300 more chickens for a second contest, everyone flees; the landlady's voice-over: '今后打死额，也不办什么大赛了'")),
 (18, (False, "novelty", "the landlady and Lao Bai count the gifts the sect heads sent Xiaobei: '张三丰耍过的桃木剑……'"),
     (False, "punchline", "Yan Xiaoliu picks Xiao Guo 'or she'd bite me to death'; '可怜的小郭啊，感情的路，慢慢熬吧。' '最终熬成了芙蓉婆。'")),
 (24, (False, "calm", "(屋顶，夜) Guo Furong and the scholar look at the moon: '今晚的夜色好美啊！'"),
     (False, "punchline", "Guo Furong keeps beating the fortune-teller while the landlady tells the diners '见笑了，见笑了'; '排山再再再再再倒海……'")),
 (27, (False, "calm", "(大厅，夜) Guo Furong and the scholar press food on each other: '你吃。' '不，还是你吃'"),
     (False, "calm_image", "'哎呀，折腾得啥时候是个头呀？' a diner: '倒酒。' '哎，来了。'")),
 (28, (False, "novelty", "Guo Furong, dressed as a ghost with paper nails, squeezes into the well while the landlady holds her"),
     (False, "resolution", "the scheming Madam Qian is routed ('后会有期！'); the landlady tells Dazui to carry the dowry back; everyone cheers")),
 (29, (False, "novelty", "the gang play a parody quiz show: '欢迎收看同福客栈知识竞答'"),
     (False, "punchline", "Lao Bai, told the landlady says he fathered her daughter, storms off: '佟湘玉！'; Zhan Hongling: '他们俩个之间一定有猫腻，女人的直觉' (doubtful: an angry exit whose confrontation is unseen)")),
 (33, (False, "novelty", "Wushuang comes in laughing, the landlady chasing her: '无双，你听我说，展堂没有那个意思……'"),
     (False, "punchline", "Wushuang kisses the scholar and runs off; he argues with himself and slaps his own face: '算了，顺其自然吧，唉.'（幕黑）")),
 (34, (False, "calm", "at night Wushuang watches the scholar drawing water and steps in: '放着我来！'"),
     (False, "punchline", "the landlady gives them silver as a 'break-up fee' and leaves; the scholar bites the coin, Wushuang sweeps off")),
 (35, (False, "novelty", "Xiaobei and Lao Bai plot by the millstone to have someone waylay Wushuang: '寻衅祝无双？' '对对对对对！'"),
     (False, "punchline", "the old man who invented 葵花点穴手 leaves; Wushuang: '辱我师门，我跟他拼了。' Lao Bai: '无双，快花点穴手。'")),
 (40, (False, "calm", "the mid-autumn party: '我宣布，中秋赏月会正式开始！干杯。' and everyone droops"),
     (False, "warm_image", "a last toast, Dazui and Xiaobei squabble over fruit, the moon behind them, fade to black")),
 (45, (False, "novelty", "Guo Furong and the scholar sing on the roof; the landlady pops up: '嗯，嗯。'"),
     (False, "punchline", "the landlady cries because Lao Bai has reformed: '他是改过自新了，但是我又没有目标了。'")),
 (47, (False, "novelty", "Guo Furong drags the landlady out and Lao Bai joins her: '坐下!'"),
     (False, "punchline", "Lao Bai hears about the landlady's blind date and storms off ('我祝你早日找个掌门'); she chases him: '展堂!你听我说' (doubtful: a lovers' quarrel left running)")),
 (52, (False, "novelty", "Tong Shitou bursts in on the landlady and Lao Bai embracing: '哎呀，我的个神啊！'"),
     (False, "punchline", "everyone rushes out to stop the dog eating the poisoned buns; Yan Xiaoliu sings a clapper ballad mocking them")),
 (54, (True, "humiliation", "the hall dressed as hell, Bao Daren tied to a chair beside a pot of oil, the gang as underworld judges: '你们滥用私刑，草管人命！' (doubtful: a prank)"),
     (False, "calm_image", "Bao Daren asks to be alone with the landlady; everyone leaves, she sits by him: '说吧。' (doubtful: what he says is unseen)")),
 (58, (True, "threat", "Li Dazui in a cangue being led away by Yan Xiaoliu: '你带我去哪儿啊' (doubtful: comic)"),
     (False, "calm_image", "Nangong Canhua shows the landlady the flute she gave him years ago and muses on the harmony of nature")),
 (62, (False, "mood", "(continuing the last scene) the landlady goes upstairs and shuts her door, crying; Guo Furong: '这就是传说的……一刀、两断'"),
     (True, "threat", "the bandit chief Xie Zhongda to his masked men: '准备好家伙 明晚三更 准时行动！'")),
 (64, (True, "danger", "(the landlady has fainted, everyone crowds round in alarm) Xiaoliu: Lao Bai 'was beaten beyond recognition, foaming at the mouth' (doubtful: the danger is in the report)"),
     (False, "reconciliation", "they embrace; Lao Bai throws up from a bump on the head; '疼不疼呀 我带你去看大夫去好不好 展堂 对不起你……'")),
 (73, (False, "calm", "early morning, quiet, a rooster crows, Lao Bai wakes up"),
     (True, "new_information", "during a coin toss Wushuang bursts in: '不好了，不好了，柳姑娘出事了，赶紧出去看看！' everyone runs out")),
 (76, (False, "novelty", "Xiaobei sneaks out with an armful of books; the landlady: '这么早上哪儿去啊？' '上学呀。'"),
     (True, "interrupted_action", "'嘘，房顶有人。' Lao Bai goes up ('葵花点穴手'), everyone climbs after him and Xiaomi runs out of the inn in handcuffs; the escape is cut before its outcome")),
 (81, (False, "calm", "the scholar sees diners off; Dazui sits grinning at the door: '美女！'"),
     (False, "warm_image", "the couple tear up the divorce letter and leave together; the landlady and Lao Bai hold hands: '执子之手，与子偕老。'（完）")),
]
out = [{"file": P.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
