# Labels for zh-wukong, written by hand from the script text; run to write labels.json.
import json
from pathlib import Path

P = "剧本/ep{:02d}.txt"
L = [
 (1, (False, "establishing", "after the title/bios/synopsis front matter and the scene header: '△天兵校场，旌旗蔽日，杀气腾腾。无数身披银甲的天兵列阵，气氛压抑肃穆。' (doubtful: the kneeling accused man is the next beat)"),
     (True, "interrupted_action", "Lin Ye is dragged to the block, the executioner whets his blade; '画外音（急切，高喊）：且慢，住手！' - the execution is stopped by a voice not yet seen")),
 (10, (True, "conflict", "'林叶(悲愤，仰天大喊)：李宪！我草尼玛！你以为自己是什么东西？' - a violent outburst at his executioner"),
     (True, "arrival", "the executioner's blade shatters on an invisible barrier; Sun Wukong (V.O.): '那你倒是看看，俺老孙究竟是哪根葱！' a golden figure crashes onto the platform '（一卡）'")),
 (13, (True, "danger", "'△千丈金箍棒带着呼啸的风声落下，距离李宪只有数丈之遥。'"),
     (True, "interrupted_action", "Sun Wukong is silent, then suddenly swings the staff; the wind snaps every banner round the ground; whom it strikes is unseen (doubtful)")),
 (15, (True, "threat", "Sun Wukong: '来人！把李宪这大胆宵小押往雷部问罪！'"),
     (True, "threat", "Sun Wukong's staff at Li Jing's nose: '今日你若不肯给林叶个公道，那俺老孙就用手中这金箍棒，自己替他讨回公道！' Li Jing backs away")),
 (16, (True, "conflict", "'李靖强压下心中的怒火……脸上挤出一丝难看的笑容' - the stand-off with Sun Wukong under way (doubtful: a forced smile)"),
     (True, "threat", "Li Jing agrees to take it to the Thunder Ministry; his OS: '你莫要以为交予雷部判决，我就没有办法保下我儿！'")),
 (18, (True, "conflict", "'孙悟空听到判决，愣了一下，随即怒极反笑。' 'Three years on earth is three days up here!' - fury at a rigged verdict"),
     (True, "danger", "the staff grows into a pillar and sweeps; '快跑！' the Thunder Ministry hall shatters 'like paper'")),
 (19, (True, "danger", "the hall collapses into ruins and beams and blocks fall through the clouds toward the world below (doubtful: spectacle)"),
     (True, "threat", "'孙悟空(冷笑，指着众人)：我今日就要让尔等血溅这雷部大殿！'")),
 (21, (True, "conflict", "Yang Jian, trident in hand, blocks Sun Wukong in front of Li Jing: '大圣，收手吧！'"),
     (True, "interrupted_action", "the mountain-sized staff comes down; Yang Jian braces his trident under it: '起！' everyone holds their breath")),
 (24, (False, "mood", "(flashback, a quarter hour earlier) '△天兵兵营中，光线昏暗。' - the bandaged Lin Ye on his bed comes next"),
     (True, "threat", "the giant spirit-general, grinning: '一个不会再有人找到你的地方——地府！' Lin Ye's pupils dilate in terror")),
 (25, (False, "mood", "'△阴气森森的地府，到处飘荡着幽绿的鬼火。' - the giant carrying Lin Ye to the wheel comes two beats later"),
     (True, "threat", "Li Jing watches Sun Wukong search in vain, OS: '倘若根本找不到林叶此人，甚至连他的魂魄都找不到！死无对证！'")),
 (27, (True, "danger", "'巨灵神伸出蒲扇般的大手，一把将林叶那虚弱的魂魄拘了过来。'"),
     (True, "danger", "'进去吧你！' 'the soul is thrown into the black vortex of the beast path again'")),
 (28, (False, "calm", "'杨戬正焦急地指示着哮天犬分辨方向。' - a search, then Nezha arrives (doubtful: urgency without danger on screen)"),
     (True, "danger", "the giant laughs: '已经是九世轮回！' Lin Ye's soul drifts 'like a wisp of smoke about to vanish'")),
 (32, (True, "conflict", "'孙悟空一棒打死巨灵神，看都没看一眼地上的痕迹。'"),
     (False, "rescue", "the King of Hell begs him to stop, the underworld is collapsing; '开！' he drags Lin Ye's soul out of the wheel (doubtful: the collapse is left open)")),
 (33, (True, "danger", "he drags the soul out; '轰！' the channel of reincarnation shrieks and cracks all over (doubtful: the first beat replays the rescue)"),
     (False, "resolution", "'都给俺老孙安静！！！' - the whole underworld falls dead silent; the chaos is quelled")),
 (37, (False, "exposition", "in the Hall of Divine Mists the Heaven Mirror replays the underworld, frozen on Sun Wukong flying up with the soul; the immortals watch"),
     (True, "imminent_confrontation", "Sun Wukong strides out of the smoke, staff pointed at the Jade Emperor: '玉帝老儿！俺老孙来了！'")),
 (38, (True, "threat", "Sun Wukong, staff pointed at the Jade Emperor with no respect; the court is aghast"),
     (True, "threat", "ignoring Li Jing and Wen Zhong's list of his crimes: '请陛下准许……将此二贼明正典刑！'")),
 (40, (False, "calm", "'玉皇大帝看着孙悟空，神色依旧平静，仿佛一切尽在掌握。' and counsels leniency"),
     (True, "power_shift", "Lin Ye's soul: '便是……视三界众生为猪狗！' the word echoes through the hall; 'the Jade Emperor's smile freezes'")),
 (42, (True, "conflict", "'玉皇大帝勃然大怒，猛地一拍宝座扶手，霍然起身。' '孙悟空！你放肆！'"),
     (True, "threat", "'俺老孙今天就掀了你的宝座！看你还怎么高高在上！'")),
 (44, (True, "conflict", "Wen Zhong sneers at the surrounded Sun Wukong, '孙……' and the staff is suddenly upon him"),
     (True, "power_shift", "Li Jing's pagoda is knocked from his hand by his own son Nezha's spear: '哪吒！你这逆子！你究竟想做什么！'")),
 (46, (True, "conflict", "Yang Jian, trident raised, to the Jade Emperor: '陛下！背叛了天庭的，不是我们，是你！'"),
     (True, "arrival", "the fighting stops; Sun Wukong looks out of the hall: '这股气息……如来佛祖！'")),
 (47, (True, "threat", "the Buddha descends on his lotus: '悟空，你可知罪？'"),
     (True, "imminent_confrontation", "Sun Wukong points his staff between the Buddha's eyes: '倒不如腾出那灵山上的位置，换——我来！'")),
 (48, (True, "threat", "the Buddha sees the defiance in Sun Wukong's eyes, sighs: '今日我便亲手将你镇压。' (doubtful: the first beat is a look)"),
     (True, "danger", "the golden staff shatters; '如来！！' the sky-covering palm comes crashing down on him")),
 (49, (True, "danger", "'金箍棒破碎，如来佛祖的遮天佛掌已至头顶。' - no escape"),
     (True, "reveal", "the Jade Emperor unleashes a terrifying aura that knocks the immortals over; Sun Wukong OS: '这玉帝老儿……怎么会有如此恐怖的气势？'")),
 (54, (False, "mood", "'△大雄宝殿内，回声阵阵。' - the Buddha's voice then rebukes the disciples"),
     (True, "interrupted_action", "the Jade Emperor is about to pass sentence: '好，既然如此……' and every immortal holds their breath")),
 (55, (True, "threat", "the Jade Emperor: '毁雷部，下幽冥，杀仙官，闯地府，惊凌霄！……你都已经是罪大恶极！'"),
     (False, "farewell", "Sun Wukong kneels in tears before his master: '今日便要前往轮回，往后恐怕就是和师父再相见，也无法相识了！'")),
]
# Second draw (random.Random(1204), 15 of the 31 episodes not in the first draw), labelled 17:45 UTC.
L += [
 (5, (True, "threat", "Li Xian, face twisted: '来人！拿斩仙刀来！……那就给我一块块剖出他的仙骨！'"),
     (True, "imminent_confrontation", "Sun Wukong lands at the barracks, staff pointed at the gate: '我问你们，天兵林叶何在！'")),
 (7, (True, "reveal", "Sun Wukong, in fury: '什么！你说林叶因为贪墨物资，要被处斩？' and a blast of gold light tears up the tents"),
     (True, "threat", "Li Xian: '不只是你，就连你曾经求道过的斜月三星洞，也要陪葬！' the soldiers gasp")),
 (9, (True, "humiliation", "'林叶闭着眼睛，身体蜷缩，声音颤抖且微弱。' '我，我认罪。' Li Xian mocks: '声音太小了，本少听不见！'"),
     (True, "threat", "Li Xian kicks the pleading clerk aside: '本少今天就是要让林叶死！谁也拦不住！'")),
 (11, (False, "mood", "'△烟尘弥漫，看不清人影。' then Li Xian coughs and curses whoever stopped the execution (doubtful: the dust of a crash landing)"),
     (True, "danger", "Sun Wukong raises the staff over Li Xian's head: '你是想亲身丈量下，俺老孙的如意金箍棒究竟有多重！' '啊！！'")),
 (12, (True, "danger", "'金箍棒悬在李宪头顶，劲风吹得李宪发髻散乱。' '别杀我！别杀我！'"),
     (True, "danger", "the thousand-zhang staff comes down like a mountain; Li Xian collapses, staring up at it")),
 (20, (True, "threat", "Wen Zhong, shaking with rage: '好胆！你这妖猴真以为没有人能够制住你了？' lightning crackles"),
     (True, "imminent_confrontation", "Sun Wukong and Yang Jian face off, stones float in the charged air: '大战，一触即发。'")),
 (22, (True, "conflict", "'巨大的金箍棒压在三尖两刃刀上，发出令人牙酸的摩擦声。' - the deadlock"),
     (True, "threat", "Sun Wukong vows to kill Li Jing and Wen Zhong even if he is buried under the mountain again; Li Jing backs away: '疯子……这就是个疯子……'")),
 (30, (False, "mood", "'△天庭之上，风云变色。' then Sun Wukong's fur bristles with rage (doubtful: the fury is the next beat)"),
     (True, "threat", "his roar '巨！灵！神！' booms through the underworld; the giant: '完……完了……'（二卡）")),
 (35, (False, "calm", "'地藏王菩萨神色平静，面对孙悟空的逼问，并没有动怒。' (doubtful: a calm answer to an interrogation)"),
     (True, "imminent_confrontation", "pointing up through the hole he smashed: '俺老孙定要打上凌霄！将李靖等所有不法之人明正典刑！'")),
 (36, (True, "question", "Ksitigarbha asks whether 'all lawbreakers' includes the Victorious Fighting Buddha, Sun Wukong himself (doubtful: a pointed question, calmly put)"),
     (True, "imminent_confrontation", "he shoots up out of the underworld with Lin Ye's soul: '玉帝老儿！俺老孙来也！'")),
 (39, (True, "conflict", "Li Jing, terrified at Sun Wukong's stare: '疯了……孙悟空你究竟想要干什么……'"),
     (True, "imminent_confrontation", "ignoring Li Jing's excuses he slams the staff down and faces the Jade Emperor: '陛下！'")),
 (41, (True, "conflict", "the Jade Emperor leans forward, eyes wide, at the soul who insulted him: '你说什么？' (doubtful: a reaction line)"),
     (True, "power_shift", "Sun Wukong points the staff at the throne: '不能庇护苍生，你有何资格统领三界？……你有何资格做这天庭之主！'")),
 (50, (True, "threat", "the Jade Emperor walks down from the throne and with his first step doubles in size"),
     (True, "arrival", "an old Taoist appears and brushes the emperor's blow aside; Sun Wukong trembles: '师……师父？' (doubtful: also a rescue)")),
 (52, (True, "danger", "'眼看红色电光即将落入凡间。' Sun Wukong: '不好！'"),
     (True, "reveal", "the Jade Emperor: '朕决定转世化为凡人，去人间历劫！' - every immortal is stunned")),
 (56, (False, "calm", "Patriarch Subhuti sighs and strokes Sun Wukong's head: '唉，你这痴儿！'"),
     (False, "warm_image", "centuries later children play with toy staffs in the peach grove; an old man: '我们都是齐天大圣……'（完）")),
]

Q = "绝境先知-黄金瞳/ep{:02d}.txt"
M = [
 (1, (True, "danger", "after the title, scene header and cast line ('本集死亡：无'): '【镜头语言：开场即是剧烈颠簸的特写镜头——咖啡杯从桌上滑落摔碎，行李箱从行李架砸下，氧气罩掉下来，乘客的脸因失重而扭曲。】【音效：警报声大作，乘客们的尖叫、哭喊】'"),
     (True, "threat", "after the crash, Shen Le's golden eyes see a giant tornado behind the sandstorm: '第二灾，来了！！'（激昂的音乐骤然响起！）")),
 (2, (True, "danger", "on the wreckage, sand 'like tiny bullets' whips the survivors; the golden-eye readout: force-12 wind with flying rock, minutes away"),
     (True, "danger", "the camp is torn up, lightning strikes the ground, a mass of black cloud rolls over them; Shen Le: '完了！'")),
 (3, (True, "danger", "'龙卷风的巨影遮天蔽日……高速逼近……将飞机残骸撕成碎片。'"),
     (True, "danger", "Professor Li's SUV is flipped by a side gust and lies wheels up; Shen Le's family reach the rock cleft and look back on 'this inferno'")),
 (4, (True, "danger", "'巨石缝隙外，龙卷风肆虐，风声如同万鬼哭嚎。' Lin Na parks and runs into the cleft"),
     (True, "interrupted_action", "Shen Le crawls along the rope and grabs his sister's hand - 'the instant he catches it, a bolt of lightning strikes down at the two of them'")),
 (5, (True, "threat", "inside the cleft a stopwatch counts down from 10: '3、2、1！！时间到了！！一起用力！'"),
     (True, "threat", "relief freezes as the ground shakes; Shen Le's golden eyes see a huge lizard-viper creature swimming underground toward them: '这是什么东西？！'")),
]
L = sorted((x if len(x) == 4 else (P, *x) for x in L), key=lambda x: (x[0] != P, x[1]))
L += [(Q, n, h, c) for n, h, c in M]
out = [{"file": fmt.format(n), "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for fmt, n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
import collections
print([o["file"][-8:] for o in out if "doubtful" in o["hook"]["why"]], [o["file"][-8:] for o in out if "doubtful" in o["cliffhanger"]["why"]])
