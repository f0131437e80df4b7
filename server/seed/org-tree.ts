/** Demo org tree: Inner Mongolia Autonomous Region, GB/T 2260 codes. */
export interface SeedUnit {
  code: string;          // six-digit GB/T 2260 code
  name: string;          // official Chinese name, e.g. '呼和浩特市'
  nameEn: string;        // e.g. 'Hohhot'
  children?: SeedUnit[];
}

/*
 * Level 1: 内蒙古自治区 (150000)
 * Level 2: 12 leagues/cities (9 prefecture-level cities + 3 leagues)
 * Level 3: 103 county-level units (current codes, 2020s; 开发区/园区 pseudo-units excluded)
 *
 * County-level counts per league/city:
 *   150100 呼和浩特市    9
 *   150200 包头市        9
 *   150300 乌海市        3
 *   150400 赤峰市       12
 *   150500 通辽市        8
 *   150600 鄂尔多斯市    9
 *   150700 呼伦贝尔市   14
 *   150800 巴彦淖尔市    7
 *   150900 乌兰察布市   11
 *   152200 兴安盟        6
 *   152500 锡林郭勒盟   12
 *   152900 阿拉善盟      3
 *   ------------------------
 *   Total              103
 *   (= 23 districts 区 + 11 county-level cities 市 + 17 counties 县
 *      + 49 banners 旗 + 3 autonomous banners 自治旗)
 */
export const ORG_TREE: SeedUnit = {
  code: '150000',
  name: '内蒙古自治区',
  nameEn: 'Inner Mongolia Autonomous Region',
  children: [
    {
      code: '150100',
      name: '呼和浩特市',
      nameEn: 'Hohhot',
      children: [
        { code: '150102', name: '新城区', nameEn: 'Xincheng District' },
        { code: '150103', name: '回民区', nameEn: 'Huimin District' },
        { code: '150104', name: '玉泉区', nameEn: 'Yuquan District' },
        { code: '150105', name: '赛罕区', nameEn: 'Saihan District' },
        { code: '150121', name: '土默特左旗', nameEn: 'Tumed Left Banner' },
        { code: '150122', name: '托克托县', nameEn: 'Togtoh County' },
        { code: '150123', name: '和林格尔县', nameEn: 'Horinger County' },
        { code: '150124', name: '清水河县', nameEn: 'Qingshuihe County' },
        { code: '150125', name: '武川县', nameEn: 'Wuchuan County' },
      ],
    },
    {
      code: '150200',
      name: '包头市',
      nameEn: 'Baotou',
      children: [
        { code: '150202', name: '东河区', nameEn: 'Donghe District' },
        { code: '150203', name: '昆都仑区', nameEn: 'Kundulun District' },
        { code: '150204', name: '青山区', nameEn: 'Qingshan District' },
        { code: '150205', name: '石拐区', nameEn: 'Shiguai District' },
        { code: '150206', name: '白云鄂博矿区', nameEn: 'Bayan Obo Mining District' },
        { code: '150207', name: '九原区', nameEn: 'Jiuyuan District' },
        { code: '150221', name: '土默特右旗', nameEn: 'Tumed Right Banner' },
        { code: '150222', name: '固阳县', nameEn: 'Guyang County' },
        { code: '150223', name: '达尔罕茂明安联合旗', nameEn: 'Darhan Muminggan United Banner' },
      ],
    },
    {
      code: '150300',
      name: '乌海市',
      nameEn: 'Wuhai',
      children: [
        { code: '150302', name: '海勃湾区', nameEn: 'Haibowan District' },
        { code: '150303', name: '海南区', nameEn: 'Hainan District' },
        { code: '150304', name: '乌达区', nameEn: 'Wuda District' },
      ],
    },
    {
      code: '150400',
      name: '赤峰市',
      nameEn: 'Chifeng',
      children: [
        { code: '150402', name: '红山区', nameEn: 'Hongshan District' },
        { code: '150403', name: '元宝山区', nameEn: 'Yuanbaoshan District' },
        { code: '150404', name: '松山区', nameEn: 'Songshan District' },
        { code: '150421', name: '阿鲁科尔沁旗', nameEn: 'Ar Horqin Banner' },
        { code: '150422', name: '巴林左旗', nameEn: 'Bairin Left Banner' },
        { code: '150423', name: '巴林右旗', nameEn: 'Bairin Right Banner' },
        { code: '150424', name: '林西县', nameEn: 'Linxi County' },
        { code: '150425', name: '克什克腾旗', nameEn: 'Hexigten Banner' },
        { code: '150426', name: '翁牛特旗', nameEn: 'Ongniud Banner' },
        { code: '150428', name: '喀喇沁旗', nameEn: 'Harqin Banner' },
        { code: '150429', name: '宁城县', nameEn: 'Ningcheng County' },
        { code: '150430', name: '敖汉旗', nameEn: 'Aohan Banner' },
      ],
    },
    {
      code: '150500',
      name: '通辽市',
      nameEn: 'Tongliao',
      children: [
        { code: '150502', name: '科尔沁区', nameEn: 'Horqin District' },
        { code: '150521', name: '科尔沁左翼中旗', nameEn: 'Horqin Left Middle Banner' },
        { code: '150522', name: '科尔沁左翼后旗', nameEn: 'Horqin Left Rear Banner' },
        { code: '150523', name: '开鲁县', nameEn: 'Kailu County' },
        { code: '150524', name: '库伦旗', nameEn: 'Hure Banner' },
        { code: '150525', name: '奈曼旗', nameEn: 'Naiman Banner' },
        { code: '150526', name: '扎鲁特旗', nameEn: 'Jarud Banner' },
        { code: '150581', name: '霍林郭勒市', nameEn: 'Holingol City' },
      ],
    },
    {
      code: '150600',
      name: '鄂尔多斯市',
      nameEn: 'Ordos',
      children: [
        { code: '150602', name: '东胜区', nameEn: 'Dongsheng District' },
        { code: '150603', name: '康巴什区', nameEn: 'Kangbashi District' },
        { code: '150621', name: '达拉特旗', nameEn: 'Dalad Banner' },
        { code: '150622', name: '准格尔旗', nameEn: 'Jungar Banner' },
        { code: '150623', name: '鄂托克前旗', nameEn: 'Otog Front Banner' },
        { code: '150624', name: '鄂托克旗', nameEn: 'Otog Banner' },
        { code: '150625', name: '杭锦旗', nameEn: 'Hanggin Banner' },
        { code: '150626', name: '乌审旗', nameEn: 'Uxin Banner' },
        { code: '150627', name: '伊金霍洛旗', nameEn: 'Ejin Horo Banner' },
      ],
    },
    {
      code: '150700',
      name: '呼伦贝尔市',
      nameEn: 'Hulunbuir',
      children: [
        { code: '150702', name: '海拉尔区', nameEn: 'Hailar District' },
        { code: '150703', name: '扎赉诺尔区', nameEn: 'Jalainur District' },
        { code: '150721', name: '阿荣旗', nameEn: 'Arun Banner' },
        { code: '150722', name: '莫力达瓦达斡尔族自治旗', nameEn: 'Morin Dawa Daur Autonomous Banner' },
        { code: '150723', name: '鄂伦春自治旗', nameEn: 'Oroqen Autonomous Banner' },
        { code: '150724', name: '鄂温克族自治旗', nameEn: 'Evenk Autonomous Banner' },
        { code: '150725', name: '陈巴尔虎旗', nameEn: 'Old Barag Banner' },
        { code: '150726', name: '新巴尔虎左旗', nameEn: 'New Barag Left Banner' },
        { code: '150727', name: '新巴尔虎右旗', nameEn: 'New Barag Right Banner' },
        { code: '150781', name: '满洲里市', nameEn: 'Manzhouli City' },
        { code: '150782', name: '牙克石市', nameEn: 'Yakeshi City' },
        { code: '150783', name: '扎兰屯市', nameEn: 'Zalantun City' },
        { code: '150784', name: '额尔古纳市', nameEn: 'Ergun City' },
        { code: '150785', name: '根河市', nameEn: 'Genhe City' },
      ],
    },
    {
      code: '150800',
      name: '巴彦淖尔市',
      nameEn: 'Bayannur',
      children: [
        { code: '150802', name: '临河区', nameEn: 'Linhe District' },
        { code: '150821', name: '五原县', nameEn: 'Wuyuan County' },
        { code: '150822', name: '磴口县', nameEn: 'Dengkou County' },
        { code: '150823', name: '乌拉特前旗', nameEn: 'Urad Front Banner' },
        { code: '150824', name: '乌拉特中旗', nameEn: 'Urad Middle Banner' },
        { code: '150825', name: '乌拉特后旗', nameEn: 'Urad Rear Banner' },
        { code: '150826', name: '杭锦后旗', nameEn: 'Hanggin Rear Banner' },
      ],
    },
    {
      code: '150900',
      name: '乌兰察布市',
      nameEn: 'Ulanqab',
      children: [
        { code: '150902', name: '集宁区', nameEn: 'Jining District' },
        { code: '150921', name: '卓资县', nameEn: 'Zhuozi County' },
        { code: '150922', name: '化德县', nameEn: 'Huade County' },
        { code: '150923', name: '商都县', nameEn: 'Shangdu County' },
        { code: '150924', name: '兴和县', nameEn: 'Xinghe County' },
        { code: '150925', name: '凉城县', nameEn: 'Liangcheng County' },
        { code: '150926', name: '察哈尔右翼前旗', nameEn: 'Chahar Right Front Banner' },
        { code: '150927', name: '察哈尔右翼中旗', nameEn: 'Chahar Right Middle Banner' },
        { code: '150928', name: '察哈尔右翼后旗', nameEn: 'Chahar Right Rear Banner' },
        { code: '150929', name: '四子王旗', nameEn: 'Siziwang Banner' },
        { code: '150981', name: '丰镇市', nameEn: 'Fengzhen City' },
      ],
    },
    {
      code: '152200',
      name: '兴安盟',
      nameEn: 'Hinggan League',
      children: [
        { code: '152201', name: '乌兰浩特市', nameEn: 'Ulanhot City' },
        { code: '152202', name: '阿尔山市', nameEn: 'Arxan City' },
        { code: '152221', name: '科尔沁右翼前旗', nameEn: 'Horqin Right Front Banner' },
        { code: '152222', name: '科尔沁右翼中旗', nameEn: 'Horqin Right Middle Banner' },
        { code: '152223', name: '扎赉特旗', nameEn: 'Jalaid Banner' },
        { code: '152224', name: '突泉县', nameEn: 'Tuquan County' },
      ],
    },
    {
      code: '152500',
      name: '锡林郭勒盟',
      nameEn: 'Xilingol League',
      children: [
        { code: '152501', name: '二连浩特市', nameEn: 'Erenhot City' },
        { code: '152502', name: '锡林浩特市', nameEn: 'Xilinhot City' },
        { code: '152522', name: '阿巴嘎旗', nameEn: 'Abag Banner' },
        { code: '152523', name: '苏尼特左旗', nameEn: 'Sonid Left Banner' },
        { code: '152524', name: '苏尼特右旗', nameEn: 'Sonid Right Banner' },
        { code: '152525', name: '东乌珠穆沁旗', nameEn: 'East Ujimqin Banner' },
        { code: '152526', name: '西乌珠穆沁旗', nameEn: 'West Ujimqin Banner' },
        { code: '152527', name: '太仆寺旗', nameEn: 'Taibus Banner' },
        { code: '152528', name: '镶黄旗', nameEn: 'Xianghuang Banner' },
        { code: '152529', name: '正镶白旗', nameEn: 'Zhengxiangbai Banner' },
        { code: '152530', name: '正蓝旗', nameEn: 'Zhenglan Banner' },
        { code: '152531', name: '多伦县', nameEn: 'Duolun County' },
      ],
    },
    {
      code: '152900',
      name: '阿拉善盟',
      nameEn: 'Alxa League',
      children: [
        { code: '152921', name: '阿拉善左旗', nameEn: 'Alxa Left Banner' },
        { code: '152922', name: '阿拉善右旗', nameEn: 'Alxa Right Banner' },
        { code: '152923', name: '额济纳旗', nameEn: 'Ejin Banner' },
      ],
    },
  ],
};
