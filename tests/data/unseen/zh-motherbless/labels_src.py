# Labels for zh-motherbless, written by hand from the section texts; run to write labels.json.
import json
from pathlib import Path

P = "sections/seg{:02d}.md"
L = [
 (1, (True, "threat", "（2095年，浙江大学）旁白：'尼比鲁星将在 2038 年再次回归近地点，重现史前大洪水……实际到达近地点的时间将推迟至 2098 年 3 月 3 日' - a doomsday date stated (doubtful: a lecture's voice-over exposition)"),
     (False, "resolution", "the class argues about '异类'; 李含珠: '我们都是同门了，求同存异吧……请容我再想想好吗？'")),
 (2, (False, "establishing", "（程教授会议室）'程思归子已经年愈八十……' a solar-system model on the conference table"),
     (False, "punchline", "铁游萍浮 takes 李含珠's side against 张宝山; 许梦龙（玩笑口吻）：'看来在我们课题组，我还是算个异类啊。'")),
 (4, (False, "mood", "（白灵素女卧室）'白灵素女气呼呼进来，房门随之闭紧。' the robot 二青 hops over: '素女姐姐，你为什么生气啊？'"),
     (True, "new_information", "程思归子 calls 许梦龙 at night: '你可知南极冰女？' '我知道——程教授，你能帮我见到她吗？' (doubtful: a lead opened, no danger)")),
 (6, (False, "calm", "'许梦龙一家吃过了晚饭。' the doorbell rings: it is 白灵素女"),
     (False, "calm_image", "素女 gives 二青 a task, to collect the 白蛇传 legends; '今天我累了，哪天不累时再给我讲吧。'")),
 (7, (True, "question", "白灵素女（匆忙进来，就问）：'青姨怎么了？' - 许梦龙: she is dying and wants to see her sister once more (doubtful: the stakes land in the second line)"),
     (False, "punchline", "on the maglev 素女 asks 二青 if it wants to fly: '不想飞，那不是我的设计目的。'")),
 (8, (False, "establishing", "（南沙航天港）'两年后。' on the carrier deck 许梦龙、李含珠 and 素女 wait, looking north"),
     (False, "calm_image", "浑沌号 runs smoothly in equatorial orbit; in the Hangzhou lab everyone works, the ship's live feed on their screens")),
 (9, (False, "establishing", "（拉萨）'青藏铁路，磁悬浮列车驶入拉萨站。' the two sisters walk out arm in arm"),
     (False, "grief_image", "铁游萍浮 shouts '张宝山！我喜欢你！'; he does not turn: '如果我们还能回来，那……再说吧。' He leaves; she wipes her tears (doubtful: an open answer)")),
 (11, (True, "danger", "（南极？）'浑沌号摇摇晃晃冲下，在冰原上滑行，最后扎进雪堆半截' - a crash landing (doubtful: they relax a line later)"),
      (True, "threat", "Nibiru's pull will soon hold the Earth ('还有一点儿时间'); 素女: move the Earth out of its way - '尽力一试，却也不是你以为的那么简单……'")),
 (12, (True, "threat", "（钱塘江，2098年3月1日）'江水宽广，湍急，已经开始上涨' - dozens of Noah's arks lined along both banks (doubtful: shown as a panorama)"),
      (True, "interrupted_action", "素女 has torn open space and flown down the galaxy to find the Earth: '地球太小，一时还找不着。' '大海捞针' - the search cut before its outcome (doubtful)")),
 (13, (True, "danger", "（2098年3月2日，西欧）'大西洋海啸，地中海暴涨，周边国家的城市纷纷沦陷在大洪水之中'"),
      (True, "new_information", "素女 stores the Earth in 李含珠's mouth for now; '暂时？……那是多久？' '稍安勿躁，静观其变。' (doubtful)")),
 (14, (True, "threat", "（金星空间站）astronauts watch Nibiru steadily closing on the Earth, some weeping, '眼看地球就要进入尼比鲁星的引力控制范围'"),
      (False, "punchline", "印度唐三: if the Earth comes back '我就把妹妹嫁给你……两个，两个妹妹都嫁你！' 张宝山 is embarrassed")),
 (15, (False, "mood", "'一片黑暗，看不见人，也看不见物。' 程思归子 gropes about calling '如梦……小杨……' (doubtful: disorientation, no threat named)"),
      (True, "new_information", "the moon looks strange; 白尘如梦: '这月亮也最多能发光……我怎么突然觉得没那么冷了呢？' (doubtful)")),
 (17, (False, "calm", "（高维空间、浑沌号）guided by 扬洋, 二青 bustles about and the repair is finally done"),
      (False, "warm_image", "back in Lhasa the lama praises them as world-savers; 许梦龙 waves it off and stumbles: '也是我娘……我妈……她……'")),
 (19, (False, "calm", "（2112年除夕）程思归子 invites his students to New Year's Eve dinner; robot helpers serve the dishes"),
      (False, "warm_image", "the five robot dolls clap and shout '万岁，万岁，万万岁！' everyone laughs")),
 (20, (False, "calm", "（真雷峰塔）素女 sits in the centre, 二青 looks curiously at her own hands"),
      (False, "calm_image", "素女: '造人创命之术，是福是祸也殊难意料……但愿人间，不再重蹈覆辙才好。' (the film's last lines)")),
]
out = [{"file": P.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
