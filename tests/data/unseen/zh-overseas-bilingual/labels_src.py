# Labels for zh-overseas-bilingual, written by hand from the episode texts; run to write labels.json.
import json
from pathlib import Path

L = [
 ("2026-06-28/[修改版]灰烬新生/ep05", (False, "calm", "'△一家人围坐在桌前，面前摆满了饭菜。' 凯瑟琳·贝内特：'萨凡纳，想要什么奖励，给妈妈说。'"),
     (True, "threat", "'△本杰明上前抓住奥利维亚胳膊将她拽起来！' 本杰明：'……你是不是皮痒' 字幕：'距离哈灵顿家接亲，还有4小时！'")),
 ("2026-06-28/[修改版]灰烬新生/ep09", (False, "calm", "萨凡纳：'今天一家人都在，咱们一块喝一杯团圆酒吧。' '△只有奥利维亚没动。' 萨凡纳（故意问道）：'姐姐……你不会也对酒精过敏吧？' (doubtful: a needling question)"),
     (True, "reveal", "管家阿尔弗雷德：'哈灵顿夫人，时间到了……请哈灵顿夫人随我回家！' 礼宾人员：'迎，哈灵顿夫人回家。' '△贝内特家人脸色大变，纷纷看向奥利维亚。' (the note '备用卡点一' after it is not story)")),
 ("2026-06-28/[修改版]灰烬新生/ep38", (True, "conflict", "理查德（咬牙，声音嘶哑）：'不，你休想！那是我们贝内特家的产业！我们绝不可能出售！'"),
     (False, "resolution", "詹姆斯：'爸，妈，别说了。事已至此，签字吧。' '△理查德闭上眼睛，两行浊泪无声滑落……在协议上签了字。'")),
 ("2026-06-28/blind-batch-2-2026-06-28/家庭主妇的正义_中英台词-1-30集/ep02", (False, "calm", "'△礼堂内，马克手捧着玫瑰花，深情注视着艾琳娜。' MARK: 'Elena, I want to be the knight to protect you forever. Say yes.'"),
     (True, "threat", "MARK (O.S.): 'I already gave Linda your thesis draft. At tomorrow's defense, I'll make you beg on your knees!'")),
 ("2026-06-28/blind-batch-2-2026-06-28/家庭主妇的正义_中英台词-1-30集/ep03", (True, "reveal", "PROFESSOR SEBASTIAN: 'Elena, can you explain why the paper you just handed me has a 95% overlap with the work Miss Linda submitted yesterday?'"),
     (True, "power_shift", "ELENA: 'Of course you don't know what it means. Because... I made that word up to catch plagiarists!' (doubtful: the reversal lands and all but closes the accusation)")),
 ("2026-06-28/blind-batch-2-2026-06-28/家庭主妇的正义_中英台词-1-30集/ep22", (True, "danger", "'△昏暗的仓库内……艾琳娜眼神冰冷，盯着身前的马克和琳达' MARK（拍了拍艾琳娜的脸颊，嘲讽）: 'Elena, looks like all those heavy law books never taught you how to watch your back'"),
     (True, "danger", "MARK: 'Relax, sweetheart. Before I make you disappear...' (开始慢条斯理地解开自己的领带) 'Before you die, I'll show you...'")),
 ("2026-06-28/blind-batch-2-2026-06-28/重生血族女继承人_废王归来_双语台词版-全集/ep06", (False, "mood", "'△深夜，幽暗的书房内仅有一盏即将燃尽的烛台散发着微光。' '△【全景】四周堆满了积灰的魔法典籍。伦纳德趴在宽大的橡木书桌上，沉沉睡去。'"),
     (False, "warm_image", "薇奥莉特（认真）：'不许再做回那个酒鬼。' '△伦纳德……伸出手，和她交握。' 伦纳德：'我用我的荣耀发誓。'")),
 ("2026-06-28/blind-batch-2-2026-06-28/重生血族女继承人_废王归来_双语台词版-全集/ep13", (False, "establishing", "'△穹顶高耸，四周悬挂着各大家族的徽章。' 拍卖官（高声）：'北部禁区诅咒矿脉开采权，起拍价八十万血晶！'"),
     (True, "danger", "'△【特写】巨兽一口狠狠咬在赫尔曼的右臂上……整条手臂瞬间变得焦黑溃烂。' 赫尔曼：'退！快退！救我——！'")),
 ("2026-06-28/blind-batch-2-2026-06-28/重生血族女继承人_废王归来_双语台词版-全集/ep18", (True, "threat", "'△大厅两侧，十二名身穿玄铁重甲的克劳利骑士一言不发地矗立，冰冷的目光死死锁定着刚进门的父女二人。' (doubtful: a menacing tableau, the first line is the banquet table)"),
     (False, "resolution", "老克劳利（大笑）：'好！这杯酒，我敬血月同盟！成交！'")),
 ("2026-06-28/blind-batch-2026-06-28/Slum Queen Showdown of Lies-1-30集-中英台词对照/ep03", (False, "calm", "'Luna看着手中的吊坠，眼神迷茫，随后变得坚定，放下吊坠。' Luna: 'I will join the silver forging competition. My fate belongs to myself.'"),
     (True, "new_information", "Ethan: 'Look into this woman, especially on her silver-forging skills.' '镜头……定格在碎片与半枚吊坠的纹路重合。'")),
]
L += [
 ("2026-06-28/blind-batch-2026-06-28/Slum Queen Showdown of Lies-1-30集-中英台词对照/ep22", (True, "danger", "'Grace拿着枪对着Luna。' 'Luna瞳孔放大，看着对准自己的枪。'"),
     (True, "threat", "Sophia（疯狂）: 'It's you, all because of you. If you die, everything will go back to beginning.' 'Sophia怨毒的看着Luna。'")),
 ("2026-06-28/blind-batch-2026-06-28/Slum Queen Showdown of Lies-1-30集-中英台词对照/ep30", (True, "threat", "'Black缓步进入大厅，之后扫视众人。' Black: 'The Thornes, Ethan, and the bloodline I've been searching for all these twenty years… finally, you're all here.'"),
     (True, "threat", "Black: 'Since you already know everything, don't make me get rough. Come with me.' 'Black缓缓抬手，身后的黑衣人齐刷刷举起枪，保险栓拉开。'")),
 ("2026-06-28/blind-batch-2026-06-28/[修改版] 黑手党少主痛哭求原谅_前妻她杀疯了/ep19", (True, "danger", "'△警报声疯狂响起，大楼里枪声此起彼伏。' '△Eve站在落地窗前，看着楼下围满的武装车辆，还有空中盘旋的直升机。'"),
     (True, "danger", "Dante：'拿我的命去换你的王座！活下去！Eve！' '△火箭弹拖着尾焰，朝着落地窗飞速射来。'")),
 ("2026-06-28/blind-batch-2026-06-28/[修改版] 黑手党少主痛哭求原谅_前妻她杀疯了/ep22", (False, "calm", "'△Dante穿一件洗得发白的夹克,瘸着腿,蹲在加油站墙根抽烟,像个等活的散工。' (doubtful: he is staking out a smuggling truck)"),
     (True, "danger", "Salvatore：'他来了,就别让他活着回去。' '△【卡点】Dante瘸着腿走在去码头的夜路上,身后阴影里,几个布兰卡杀手悄悄跟上。'")),
 ("2026-06-28/blind-batch-2026-06-28/[修改版] 黑手党少主痛哭求原谅_前妻她杀疯了/ep37", (False, "establishing", "'△一辆没牌照的车停在仓库后门。一个西装男下车,正是Victor的联络人。周老板把一批货搬上车。' (doubtful: the ambush is laid in the next line)"),
     (True, "imminent_confrontation", "'△【卡点】Eve盯着墙上北美和俄罗斯的地图……' Eve：'那就让他来。这次,该轮到我,去他的地盘上,会会他了。'")),
 ("2026-06-28/blind-batch-2026-06-28/【修改版】全纽约大佬争当我的榜一_双语台词版_1-35集/ep08", (True, "conflict", "'△Chloe一脚踹开办公室的门，冲进去把包狠狠砸在桌子上。' Chloe: 'Eric! Did you see that? My account is banned! I'm finished!'"),
     (True, "threat", "财务VO: 'Mr. Eric said your earnings are temporarily frozen' Ava: 'That's my brother's surgery money!' '△Ava看着ICU发来的手术缴费通知单……整个人陷入绝望。' (doubtful: could be read as a grief image)")),
 ("2026-06-28/blind-batch-2026-06-28/【修改版】全纽约大佬争当我的榜一_双语台词版_1-35集/ep10", (False, "spectacle", "'△盛典现场全网直播，红毯两边挤满了媒体和粉丝，闪光灯不停闪烁。' '△直播间在线人数破2000万'"),
     (True, "arrival", "'△会场的大门被轰然撞开，一排排持枪的黑衣人涌入现场' '△Liam、Chase、Dante……并肩踏着红毯，一步步朝着崩溃的Ava走来。'")),
 ("2026-06-28/blind-batch-2026-06-28/【修改版】全纽约大佬争当我的榜一_双语台词版_1-35集/ep13", (True, "conflict", "'△Eric举着合同，满脸狰狞，对着镜头嘶吼。' Eric: 'See this? She signed it herself! Black and white! She belongs to me'"),
     (True, "imminent_confrontation", "Dante（拉开车门）: 'Get in my car. No one dares stop us.' '△三个男人互不相让，眼神里全是火药味，修罗场一触即发。' (doubtful: a romantic standoff played light)")),
 ("2026-06-28/blind-batch-2026-06-28/【返改版】和我的爱葬身大海_双语台词版-1-30集/ep02", (False, "voice_over", "城堡屋顶；Luna OS: 'Because the woman he loved was never me.' (doubtful: a sad line over the opening image, no threat)"),
     (True, "new_information", "'△Luna拿着照片，照片里的女人手上戴着那个手镯（特写）'")),
 ("2026-06-28/blind-batch-2026-06-28/【返改版】和我的爱葬身大海_双语台词版-1-30集/ep04", (True, "danger", "'△鲨鱼抬头长着大嘴，Luna大叫着即将掉进鲨鱼嘴里'"),
     (True, "reveal", "Veyra：'这个王冠就是诅咒！我不要了！！' '△Luna将王冠捡起，在所有人的注视下缓缓戴在头上，众人瞪大双眼'")),
]
L += [
 ("2026-06-28/blind-batch-2026-06-28/【返改版】和我的爱葬身大海_双语台词版-1-30集/ep11", (False, "spectacle", "'Drake转到白色头纱新娘面前，将新娘抱起，错过黑纱和手镯【慢镜头，特写】' Drake: 'Luna, from today on, you are the lady of the sea!!' (doubtful: he takes the wrong bride in the first beat)"),
     (True, "danger", "'△Drake发疯一般冲到船头，看着被海浪卷进海里的Luna' Drake: 'Luna! No!!!' 【二次付费卡点】")),
 ("2026-06-29/high-star-candidates/【修改版】My Girlfriend Is a Vampire_1-30集-中英台词对照-5794-零点场/ep16", (False, "calm", "'他挂了电话，把手机扔到一边，重新倒回床上，闭上眼睛，脑海里全是莉莉丝。' Alexander: 'Since I have to marry anyway……it might not be impossible.'"),
     (True, "reveal", "'第一页是一张照片，莉莉丝在某个医院的档案照' Alexander (shocked): 'She's... a psychiatric patient?!'")),
 ("2026-06-29/high-star-candidates/【修改版】My Girlfriend Is a Vampire_1-30集-中英台词对照-5794-零点场/ep20", (True, "danger", "'两个穿白大褂的男医生大步走来，手里拿着约束带' Sebastian: 'Stop! Don't touch her! Do you know who she is?'"),
     (True, "danger", "'胖医生举起电击枪，对准莉莉丝……电光越来越亮' Alexander (anxious): 'Stop!'")),
 ("2026-06-29/high-star-candidates/【修改版】My Girlfriend Is a Vampire_1-30集-中英台词对照-5794-零点场/ep29", (False, "calm", "'亚历山大张了张嘴，刚要说话，旁边一道冷冰冰的视线看过来。莉莉丝坐在他对面，挑了挑眉。' Alexander (mumbling): 'Yeah...'"),
     (True, "reveal", "'Now that the child is confirmed……The wedding will be held at the estate' Alexander (jaw nearly dropping): 'What? Wedding? Mom, whose wedding are you talking about?' (doubtful: a comic reveal)")),
 ("2026-06-29/high-star-candidates/乡下新娘是黑道女王/ep10", (True, "conflict", "'△聚光灯聚焦在拳击台上，伊森打量着娇小的艾弗里，轻蔑得笑一声' Ethan: 'Country girl……I'll use one hand.' (doubtful: a sparring challenge)"),
     (True, "reveal", "'△伊森看着艾弗里，内心掀起巨大的波澜' Ethan: 'You're my Vee!' 【1卡】")),
 ("2026-06-29/high-star-candidates/乡下新娘是黑道女王/ep41", (False, "calm", "'△艾弗里随意夹起黑金卡，递给旁边的拍卖师。' 艾弗里：'全款结清。' 拍卖师：'好的，范德比尔特小姐。'"),
     (True, "arrival", "艾弗里OS：'原来我想找的人，就是跟我的丈夫，伊森！' 艾弗里：'洛根！' '△伊森听到喊声缓缓回过头。'")),
 ("2026-06-29/high-star-candidates/乡下新娘是黑道女王/ep44", (False, "calm", "'△艾弗里……拉开门准备下楼喝水。门刚打开，一团黑影倒在脚边' 艾弗里：'这家伙放着大床不睡，挡在我门口干什么？'"),
     (True, "reveal", "伊森：'只有Vee能打出这样的节奏，她就是Vee！' '△伊森急切地掀开被子……像疯了一样冲出房间。'")),
 ("2026-06-29/high-star-candidates/断翼的天鹅-1-30集-中英台词对照-11647字-零点场/ep04", (False, "mood", "'△苏菲躺在病床上，脸色苍白，嘴起皮。' Nina: 'Mom, wait for me a little longer!' (doubtful: the mother is gravely ill, no acute threat)"),
     (True, "reveal", "'△利奥点开视频，画面中，妮娜翩翩起舞。' Leo: 'It's her?!'")),
 ("2026-06-29/high-star-candidates/断翼的天鹅-1-30集-中英台词对照-11647字-零点场/ep13", (True, "reveal", "妮娜（擦去鼻血）: 'I'm fine, Mom. Your legs... your legs are healed!' (doubtful: good news, with her nosebleed as the cost)"),
     (True, "reveal", "Margaret: 'If she weren't your own flesh and blood, how could the bloodline resonance be this strong?' '△利奥盯着不断跃动的两滴血，僵在原地'")),
 ("2026-06-29/high-star-candidates/断翼的天鹅-1-30集-中英台词对照-11647字-零点场/ep25", (True, "conflict", "Leo: 'In your eyes, I'm nothing but a tool for your power games!' 玛格丽特（怒不可遏）: 'How dare you!'"),
     (True, "threat", "'△两名保镖架起玛格丽特离开。' Margaret（尖叫，挣扎）: 'Leo! I'm your mother! ……The Elders' Council will put you on trial!'")),
]
out = [{"file": f"input/feishu-base-samples-{n}.txt", "hook": {"present": hp, "kind": hk, "why": hw}, "cliffhanger": {"present": cp, "kind": ck, "why": cw}}
       for n, (hp, hk, hw), (cp, ck, cw) in L]
Path(__file__).with_name("labels.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out), sum(o["hook"]["present"] for o in out), sum(o["cliffhanger"]["present"] for o in out))
