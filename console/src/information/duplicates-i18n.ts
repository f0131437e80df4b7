/** Messages of near-duplicate items, merged into the console's i18n under 'infoDuplicates'. Keep both languages in step. */
const zhCN = {
  infoDuplicates: {
    confirmTitle: '发现相同或高度相似的信息',
    confirmLead: '根据“相同内容的信息，不得重复报送”的要求，请核对以下已报送信息后再决定是否报送。',
    identical: '相同',
    similar: '高度相似',
    similarity: '相似度 {pct}',
    hidden: '本区其他单位已报送一条{level}的信息（无权查看其内容）。',
    hiddenFigure: '区内其他单位已报送一条{level}的信息，相似度 {pct}（无权查看其内容）。',
    mine: '本条信息',
    theirs: '{unit} · {time} 报送',
    sharedNote: '黄色底纹为两条信息共有的段落',
    back: '返回修改',
    sendAnyway: '仍然报送',
    checkFailed: '查重失败：{msg}',
    flagTitle: '疑似重复报送',
    flagTag: '疑似重复 {pct}',
    flagNone: '未发现重复',
    method: { trgm: '短文本三元组比对', minhash: '长文本指纹比对' },
  },
};

const en: typeof zhCN = {
  infoDuplicates: {
    confirmTitle: 'Identical or highly similar items found',
    confirmLead: 'The same content must not be reported twice. Check the items already submitted below before sending.',
    identical: 'identical',
    similar: 'highly similar',
    similarity: 'Similarity {pct}',
    hidden: 'Another unit of the region has already submitted an {level} item (its content is not yours to see).',
    hiddenFigure: 'Another unit of the region has already submitted an {level} item, similarity {pct} (content not yours to see).',
    mine: 'This item',
    theirs: '{unit} · submitted {time}',
    sharedNote: 'Shaded passages occur in both items',
    back: 'Back to editing',
    sendAnyway: 'Send anyway',
    checkFailed: 'Duplicate check failed: {msg}',
    flagTitle: 'Possible duplicate',
    flagTag: 'Possible duplicate {pct}',
    flagNone: 'No duplicates found',
    method: { trgm: 'short-text trigram match', minhash: 'long-text fingerprint match' },
  },
};

export default { 'zh-CN': zhCN, en };
