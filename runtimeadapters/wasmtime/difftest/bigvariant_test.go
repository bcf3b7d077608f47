// The 300 cases of big-variant (see tBigVariant in types_test.go), written out
// by a throwaway script: Go cannot construct a case type by name.

package difftest

import (
	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// bigVariantOf builds case i of big-variant with payload p (nil: none).
func bigVariantOf(i int, p *co.Value) ks.BigVariant {
	switch i {
	case 0:
		return ks.BigVariantC0{}
	case 1:
		return ks.BigVariantC1{Value: uint8(p.Uint)}
	case 2:
		return ks.BigVariantC2{}
	case 3:
		return ks.BigVariantC3{Value: uint32(p.Uint)}
	case 4:
		return ks.BigVariantC4{}
	case 5:
		return ks.BigVariantC5{Value: p.Str}
	case 6:
		return ks.BigVariantC6{}
	case 7:
		return ks.BigVariantC7{}
	case 8:
		return ks.BigVariantC8{Value: uint8(p.Uint)}
	case 9:
		return ks.BigVariantC9{}
	case 10:
		return ks.BigVariantC10{Value: uint32(p.Uint)}
	case 11:
		return ks.BigVariantC11{}
	case 12:
		return ks.BigVariantC12{Value: p.Str}
	case 13:
		return ks.BigVariantC13{}
	case 14:
		return ks.BigVariantC14{}
	case 15:
		return ks.BigVariantC15{Value: uint8(p.Uint)}
	case 16:
		return ks.BigVariantC16{}
	case 17:
		return ks.BigVariantC17{Value: uint32(p.Uint)}
	case 18:
		return ks.BigVariantC18{}
	case 19:
		return ks.BigVariantC19{Value: p.Str}
	case 20:
		return ks.BigVariantC20{}
	case 21:
		return ks.BigVariantC21{}
	case 22:
		return ks.BigVariantC22{Value: uint8(p.Uint)}
	case 23:
		return ks.BigVariantC23{}
	case 24:
		return ks.BigVariantC24{Value: uint32(p.Uint)}
	case 25:
		return ks.BigVariantC25{}
	case 26:
		return ks.BigVariantC26{Value: p.Str}
	case 27:
		return ks.BigVariantC27{}
	case 28:
		return ks.BigVariantC28{}
	case 29:
		return ks.BigVariantC29{Value: uint8(p.Uint)}
	case 30:
		return ks.BigVariantC30{}
	case 31:
		return ks.BigVariantC31{Value: uint32(p.Uint)}
	case 32:
		return ks.BigVariantC32{}
	case 33:
		return ks.BigVariantC33{Value: p.Str}
	case 34:
		return ks.BigVariantC34{}
	case 35:
		return ks.BigVariantC35{}
	case 36:
		return ks.BigVariantC36{Value: uint8(p.Uint)}
	case 37:
		return ks.BigVariantC37{}
	case 38:
		return ks.BigVariantC38{Value: uint32(p.Uint)}
	case 39:
		return ks.BigVariantC39{}
	case 40:
		return ks.BigVariantC40{Value: p.Str}
	case 41:
		return ks.BigVariantC41{}
	case 42:
		return ks.BigVariantC42{}
	case 43:
		return ks.BigVariantC43{Value: uint8(p.Uint)}
	case 44:
		return ks.BigVariantC44{}
	case 45:
		return ks.BigVariantC45{Value: uint32(p.Uint)}
	case 46:
		return ks.BigVariantC46{}
	case 47:
		return ks.BigVariantC47{Value: p.Str}
	case 48:
		return ks.BigVariantC48{}
	case 49:
		return ks.BigVariantC49{}
	case 50:
		return ks.BigVariantC50{Value: uint8(p.Uint)}
	case 51:
		return ks.BigVariantC51{}
	case 52:
		return ks.BigVariantC52{Value: uint32(p.Uint)}
	case 53:
		return ks.BigVariantC53{}
	case 54:
		return ks.BigVariantC54{Value: p.Str}
	case 55:
		return ks.BigVariantC55{}
	case 56:
		return ks.BigVariantC56{}
	case 57:
		return ks.BigVariantC57{Value: uint8(p.Uint)}
	case 58:
		return ks.BigVariantC58{}
	case 59:
		return ks.BigVariantC59{Value: uint32(p.Uint)}
	case 60:
		return ks.BigVariantC60{}
	case 61:
		return ks.BigVariantC61{Value: p.Str}
	case 62:
		return ks.BigVariantC62{}
	case 63:
		return ks.BigVariantC63{}
	case 64:
		return ks.BigVariantC64{Value: uint8(p.Uint)}
	case 65:
		return ks.BigVariantC65{}
	case 66:
		return ks.BigVariantC66{Value: uint32(p.Uint)}
	case 67:
		return ks.BigVariantC67{}
	case 68:
		return ks.BigVariantC68{Value: p.Str}
	case 69:
		return ks.BigVariantC69{}
	case 70:
		return ks.BigVariantC70{}
	case 71:
		return ks.BigVariantC71{Value: uint8(p.Uint)}
	case 72:
		return ks.BigVariantC72{}
	case 73:
		return ks.BigVariantC73{Value: uint32(p.Uint)}
	case 74:
		return ks.BigVariantC74{}
	case 75:
		return ks.BigVariantC75{Value: p.Str}
	case 76:
		return ks.BigVariantC76{}
	case 77:
		return ks.BigVariantC77{}
	case 78:
		return ks.BigVariantC78{Value: uint8(p.Uint)}
	case 79:
		return ks.BigVariantC79{}
	case 80:
		return ks.BigVariantC80{Value: uint32(p.Uint)}
	case 81:
		return ks.BigVariantC81{}
	case 82:
		return ks.BigVariantC82{Value: p.Str}
	case 83:
		return ks.BigVariantC83{}
	case 84:
		return ks.BigVariantC84{}
	case 85:
		return ks.BigVariantC85{Value: uint8(p.Uint)}
	case 86:
		return ks.BigVariantC86{}
	case 87:
		return ks.BigVariantC87{Value: uint32(p.Uint)}
	case 88:
		return ks.BigVariantC88{}
	case 89:
		return ks.BigVariantC89{Value: p.Str}
	case 90:
		return ks.BigVariantC90{}
	case 91:
		return ks.BigVariantC91{}
	case 92:
		return ks.BigVariantC92{Value: uint8(p.Uint)}
	case 93:
		return ks.BigVariantC93{}
	case 94:
		return ks.BigVariantC94{Value: uint32(p.Uint)}
	case 95:
		return ks.BigVariantC95{}
	case 96:
		return ks.BigVariantC96{Value: p.Str}
	case 97:
		return ks.BigVariantC97{}
	case 98:
		return ks.BigVariantC98{}
	case 99:
		return ks.BigVariantC99{Value: uint8(p.Uint)}
	case 100:
		return ks.BigVariantC100{}
	case 101:
		return ks.BigVariantC101{Value: uint32(p.Uint)}
	case 102:
		return ks.BigVariantC102{}
	case 103:
		return ks.BigVariantC103{Value: p.Str}
	case 104:
		return ks.BigVariantC104{}
	case 105:
		return ks.BigVariantC105{}
	case 106:
		return ks.BigVariantC106{Value: uint8(p.Uint)}
	case 107:
		return ks.BigVariantC107{}
	case 108:
		return ks.BigVariantC108{Value: uint32(p.Uint)}
	case 109:
		return ks.BigVariantC109{}
	case 110:
		return ks.BigVariantC110{Value: p.Str}
	case 111:
		return ks.BigVariantC111{}
	case 112:
		return ks.BigVariantC112{}
	case 113:
		return ks.BigVariantC113{Value: uint8(p.Uint)}
	case 114:
		return ks.BigVariantC114{}
	case 115:
		return ks.BigVariantC115{Value: uint32(p.Uint)}
	case 116:
		return ks.BigVariantC116{}
	case 117:
		return ks.BigVariantC117{Value: p.Str}
	case 118:
		return ks.BigVariantC118{}
	case 119:
		return ks.BigVariantC119{}
	case 120:
		return ks.BigVariantC120{Value: uint8(p.Uint)}
	case 121:
		return ks.BigVariantC121{}
	case 122:
		return ks.BigVariantC122{Value: uint32(p.Uint)}
	case 123:
		return ks.BigVariantC123{}
	case 124:
		return ks.BigVariantC124{Value: p.Str}
	case 125:
		return ks.BigVariantC125{}
	case 126:
		return ks.BigVariantC126{}
	case 127:
		return ks.BigVariantC127{Value: uint8(p.Uint)}
	case 128:
		return ks.BigVariantC128{}
	case 129:
		return ks.BigVariantC129{Value: uint32(p.Uint)}
	case 130:
		return ks.BigVariantC130{}
	case 131:
		return ks.BigVariantC131{Value: p.Str}
	case 132:
		return ks.BigVariantC132{}
	case 133:
		return ks.BigVariantC133{}
	case 134:
		return ks.BigVariantC134{Value: uint8(p.Uint)}
	case 135:
		return ks.BigVariantC135{}
	case 136:
		return ks.BigVariantC136{Value: uint32(p.Uint)}
	case 137:
		return ks.BigVariantC137{}
	case 138:
		return ks.BigVariantC138{Value: p.Str}
	case 139:
		return ks.BigVariantC139{}
	case 140:
		return ks.BigVariantC140{}
	case 141:
		return ks.BigVariantC141{Value: uint8(p.Uint)}
	case 142:
		return ks.BigVariantC142{}
	case 143:
		return ks.BigVariantC143{Value: uint32(p.Uint)}
	case 144:
		return ks.BigVariantC144{}
	case 145:
		return ks.BigVariantC145{Value: p.Str}
	case 146:
		return ks.BigVariantC146{}
	case 147:
		return ks.BigVariantC147{}
	case 148:
		return ks.BigVariantC148{Value: uint8(p.Uint)}
	case 149:
		return ks.BigVariantC149{}
	case 150:
		return ks.BigVariantC150{Value: uint32(p.Uint)}
	case 151:
		return ks.BigVariantC151{}
	case 152:
		return ks.BigVariantC152{Value: p.Str}
	case 153:
		return ks.BigVariantC153{}
	case 154:
		return ks.BigVariantC154{}
	case 155:
		return ks.BigVariantC155{Value: uint8(p.Uint)}
	case 156:
		return ks.BigVariantC156{}
	case 157:
		return ks.BigVariantC157{Value: uint32(p.Uint)}
	case 158:
		return ks.BigVariantC158{}
	case 159:
		return ks.BigVariantC159{Value: p.Str}
	case 160:
		return ks.BigVariantC160{}
	case 161:
		return ks.BigVariantC161{}
	case 162:
		return ks.BigVariantC162{Value: uint8(p.Uint)}
	case 163:
		return ks.BigVariantC163{}
	case 164:
		return ks.BigVariantC164{Value: uint32(p.Uint)}
	case 165:
		return ks.BigVariantC165{}
	case 166:
		return ks.BigVariantC166{Value: p.Str}
	case 167:
		return ks.BigVariantC167{}
	case 168:
		return ks.BigVariantC168{}
	case 169:
		return ks.BigVariantC169{Value: uint8(p.Uint)}
	case 170:
		return ks.BigVariantC170{}
	case 171:
		return ks.BigVariantC171{Value: uint32(p.Uint)}
	case 172:
		return ks.BigVariantC172{}
	case 173:
		return ks.BigVariantC173{Value: p.Str}
	case 174:
		return ks.BigVariantC174{}
	case 175:
		return ks.BigVariantC175{}
	case 176:
		return ks.BigVariantC176{Value: uint8(p.Uint)}
	case 177:
		return ks.BigVariantC177{}
	case 178:
		return ks.BigVariantC178{Value: uint32(p.Uint)}
	case 179:
		return ks.BigVariantC179{}
	case 180:
		return ks.BigVariantC180{Value: p.Str}
	case 181:
		return ks.BigVariantC181{}
	case 182:
		return ks.BigVariantC182{}
	case 183:
		return ks.BigVariantC183{Value: uint8(p.Uint)}
	case 184:
		return ks.BigVariantC184{}
	case 185:
		return ks.BigVariantC185{Value: uint32(p.Uint)}
	case 186:
		return ks.BigVariantC186{}
	case 187:
		return ks.BigVariantC187{Value: p.Str}
	case 188:
		return ks.BigVariantC188{}
	case 189:
		return ks.BigVariantC189{}
	case 190:
		return ks.BigVariantC190{Value: uint8(p.Uint)}
	case 191:
		return ks.BigVariantC191{}
	case 192:
		return ks.BigVariantC192{Value: uint32(p.Uint)}
	case 193:
		return ks.BigVariantC193{}
	case 194:
		return ks.BigVariantC194{Value: p.Str}
	case 195:
		return ks.BigVariantC195{}
	case 196:
		return ks.BigVariantC196{}
	case 197:
		return ks.BigVariantC197{Value: uint8(p.Uint)}
	case 198:
		return ks.BigVariantC198{}
	case 199:
		return ks.BigVariantC199{Value: uint32(p.Uint)}
	case 200:
		return ks.BigVariantC200{}
	case 201:
		return ks.BigVariantC201{Value: p.Str}
	case 202:
		return ks.BigVariantC202{}
	case 203:
		return ks.BigVariantC203{}
	case 204:
		return ks.BigVariantC204{Value: uint8(p.Uint)}
	case 205:
		return ks.BigVariantC205{}
	case 206:
		return ks.BigVariantC206{Value: uint32(p.Uint)}
	case 207:
		return ks.BigVariantC207{}
	case 208:
		return ks.BigVariantC208{Value: p.Str}
	case 209:
		return ks.BigVariantC209{}
	case 210:
		return ks.BigVariantC210{}
	case 211:
		return ks.BigVariantC211{Value: uint8(p.Uint)}
	case 212:
		return ks.BigVariantC212{}
	case 213:
		return ks.BigVariantC213{Value: uint32(p.Uint)}
	case 214:
		return ks.BigVariantC214{}
	case 215:
		return ks.BigVariantC215{Value: p.Str}
	case 216:
		return ks.BigVariantC216{}
	case 217:
		return ks.BigVariantC217{}
	case 218:
		return ks.BigVariantC218{Value: uint8(p.Uint)}
	case 219:
		return ks.BigVariantC219{}
	case 220:
		return ks.BigVariantC220{Value: uint32(p.Uint)}
	case 221:
		return ks.BigVariantC221{}
	case 222:
		return ks.BigVariantC222{Value: p.Str}
	case 223:
		return ks.BigVariantC223{}
	case 224:
		return ks.BigVariantC224{}
	case 225:
		return ks.BigVariantC225{Value: uint8(p.Uint)}
	case 226:
		return ks.BigVariantC226{}
	case 227:
		return ks.BigVariantC227{Value: uint32(p.Uint)}
	case 228:
		return ks.BigVariantC228{}
	case 229:
		return ks.BigVariantC229{Value: p.Str}
	case 230:
		return ks.BigVariantC230{}
	case 231:
		return ks.BigVariantC231{}
	case 232:
		return ks.BigVariantC232{Value: uint8(p.Uint)}
	case 233:
		return ks.BigVariantC233{}
	case 234:
		return ks.BigVariantC234{Value: uint32(p.Uint)}
	case 235:
		return ks.BigVariantC235{}
	case 236:
		return ks.BigVariantC236{Value: p.Str}
	case 237:
		return ks.BigVariantC237{}
	case 238:
		return ks.BigVariantC238{}
	case 239:
		return ks.BigVariantC239{Value: uint8(p.Uint)}
	case 240:
		return ks.BigVariantC240{}
	case 241:
		return ks.BigVariantC241{Value: uint32(p.Uint)}
	case 242:
		return ks.BigVariantC242{}
	case 243:
		return ks.BigVariantC243{Value: p.Str}
	case 244:
		return ks.BigVariantC244{}
	case 245:
		return ks.BigVariantC245{}
	case 246:
		return ks.BigVariantC246{Value: uint8(p.Uint)}
	case 247:
		return ks.BigVariantC247{}
	case 248:
		return ks.BigVariantC248{Value: uint32(p.Uint)}
	case 249:
		return ks.BigVariantC249{}
	case 250:
		return ks.BigVariantC250{Value: p.Str}
	case 251:
		return ks.BigVariantC251{}
	case 252:
		return ks.BigVariantC252{}
	case 253:
		return ks.BigVariantC253{Value: uint8(p.Uint)}
	case 254:
		return ks.BigVariantC254{}
	case 255:
		return ks.BigVariantC255{Value: uint32(p.Uint)}
	case 256:
		return ks.BigVariantC256{}
	case 257:
		return ks.BigVariantC257{Value: p.Str}
	case 258:
		return ks.BigVariantC258{}
	case 259:
		return ks.BigVariantC259{}
	case 260:
		return ks.BigVariantC260{Value: uint8(p.Uint)}
	case 261:
		return ks.BigVariantC261{}
	case 262:
		return ks.BigVariantC262{Value: uint32(p.Uint)}
	case 263:
		return ks.BigVariantC263{}
	case 264:
		return ks.BigVariantC264{Value: p.Str}
	case 265:
		return ks.BigVariantC265{}
	case 266:
		return ks.BigVariantC266{}
	case 267:
		return ks.BigVariantC267{Value: uint8(p.Uint)}
	case 268:
		return ks.BigVariantC268{}
	case 269:
		return ks.BigVariantC269{Value: uint32(p.Uint)}
	case 270:
		return ks.BigVariantC270{}
	case 271:
		return ks.BigVariantC271{Value: p.Str}
	case 272:
		return ks.BigVariantC272{}
	case 273:
		return ks.BigVariantC273{}
	case 274:
		return ks.BigVariantC274{Value: uint8(p.Uint)}
	case 275:
		return ks.BigVariantC275{}
	case 276:
		return ks.BigVariantC276{Value: uint32(p.Uint)}
	case 277:
		return ks.BigVariantC277{}
	case 278:
		return ks.BigVariantC278{Value: p.Str}
	case 279:
		return ks.BigVariantC279{}
	case 280:
		return ks.BigVariantC280{}
	case 281:
		return ks.BigVariantC281{Value: uint8(p.Uint)}
	case 282:
		return ks.BigVariantC282{}
	case 283:
		return ks.BigVariantC283{Value: uint32(p.Uint)}
	case 284:
		return ks.BigVariantC284{}
	case 285:
		return ks.BigVariantC285{Value: p.Str}
	case 286:
		return ks.BigVariantC286{}
	case 287:
		return ks.BigVariantC287{}
	case 288:
		return ks.BigVariantC288{Value: uint8(p.Uint)}
	case 289:
		return ks.BigVariantC289{}
	case 290:
		return ks.BigVariantC290{Value: uint32(p.Uint)}
	case 291:
		return ks.BigVariantC291{}
	case 292:
		return ks.BigVariantC292{Value: p.Str}
	case 293:
		return ks.BigVariantC293{}
	case 294:
		return ks.BigVariantC294{}
	case 295:
		return ks.BigVariantC295{Value: uint8(p.Uint)}
	case 296:
		return ks.BigVariantC296{}
	case 297:
		return ks.BigVariantC297{Value: uint32(p.Uint)}
	case 298:
		return ks.BigVariantC298{}
	case 299:
		return ks.BigVariantC299{Value: uint16(p.Uint)}
	}
	return nil
}
