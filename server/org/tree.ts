/** The org tree in memory (116 units): pure look-ups used by permissions and meeting scope. */
export interface OrgUnit {
  code: string;
  name: string;
  nameEn: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  sortOrder: number;
}

export interface OrgNode extends OrgUnit {
  children: OrgNode[];
}

export class OrgTree {
  readonly #units = new Map<string, OrgUnit>();
  readonly #children = new Map<string, OrgUnit[]>();
  readonly root: OrgUnit;

  constructor(units: OrgUnit[]) {
    for (const u of units) this.#units.set(u.code, u);
    for (const u of units) {
      if (u.parentCode === null) continue;
      if (!this.#units.has(u.parentCode)) throw new Error(`unit ${u.code} has unknown parent ${u.parentCode}`);
      const list = this.#children.get(u.parentCode) ?? [];
      list.push(u);
      this.#children.set(u.parentCode, list);
    }
    for (const list of this.#children.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
    const roots = units.filter((u) => u.parentCode === null);
    if (roots.length !== 1) throw new Error(`org tree needs exactly one root, found ${roots.length}`);
    this.root = roots[0]!;
  }

  get(code: string): OrgUnit | undefined {
    return this.#units.get(code);
  }

  has(code: string): boolean {
    return this.#units.has(code);
  }

  children(code: string): OrgUnit[] {
    return this.#children.get(code) ?? [];
  }

  /** Parent first, up to the root; excludes the unit itself. */
  ancestors(code: string): OrgUnit[] {
    const out: OrgUnit[] = [];
    let cur = this.#units.get(code);
    while (cur?.parentCode) {
      cur = this.#units.get(cur.parentCode);
      if (cur) out.push(cur);
    }
    return out;
  }

  /** The unit and everything below it, in org order (depth first). */
  subtree(code: string): OrgUnit[] {
    const start = this.#units.get(code);
    if (!start) return [];
    const out: OrgUnit[] = [];
    const walk = (u: OrgUnit) => {
      out.push(u);
      this.children(u.code).forEach(walk);
    };
    walk(start);
    return out;
  }

  /** True when `code` is `ancestorCode` or lies below it. */
  isWithin(code: string, ancestorCode: string): boolean {
    return code === ancestorCode || this.ancestors(code).some((a) => a.code === ancestorCode);
  }

  atLevel(level: 1 | 2 | 3): OrgUnit[] {
    return this.subtree(this.root.code).filter((u) => u.level === level);
  }

  toNested(code = this.root.code): OrgNode {
    const u = this.#units.get(code);
    if (!u) throw new Error(`unknown unit ${code}`);
    return { ...u, children: this.children(code).map((c) => this.toNested(c.code)) };
  }
}
