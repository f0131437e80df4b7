/**
 * The org tree in memory (116 units): pure look-ups used by permissions and meeting scope.
 * Offices' departments (kind 'department', migration 010) hang below their office for get / ancestors /
 * isWithin (they submit information like a unit below), but the walks — children, subtree, atLevel, the
 * nested tree — cover the divisions only, so meetings, duty and reports never see them.
 */
export interface OrgUnit {
  code: string;
  name: string;
  nameEn: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  sortOrder: number;
  kind?: 'division' | 'department';
}

export interface OrgNode extends OrgUnit {
  children: OrgNode[];
}

export class OrgTree {
  readonly #units = new Map<string, OrgUnit>();
  readonly #children = new Map<string, OrgUnit[]>();
  readonly #departments = new Map<string, OrgUnit[]>();
  #root!: OrgUnit;
  #version = 0;

  constructor(all: OrgUnit[]) {
    this.#build(all);
  }

  get root(): OrgUnit {
    return this.#root;
  }

  /** Bumped whenever the tree changes at run time: caches of derived data (org order) key on it. */
  get version(): number {
    return this.#version;
  }

  /**
   * Replaces the whole tree in place after the system administrator created, renamed or moved a unit (the
   * rows committed first): every holder of this instance sees the change. Throws, changing nothing, on a
   * tree that does not hold together.
   */
  replaceAll(all: OrgUnit[]): void {
    new OrgTree(all); // validate first
    this.#units.clear();
    this.#children.clear();
    this.#departments.clear();
    this.#build(all);
    this.#version++;
  }

  #build(all: OrgUnit[]): void {
    for (const u of all) this.#units.set(u.code, u);
    const units = all.filter((u) => u.kind !== 'department');
    for (const d of all.filter((u) => u.kind === 'department')) this.#attachDepartment(d);
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
    this.#root = roots[0]!;
  }

  #attachDepartment(d: OrgUnit): void {
    const office = d.parentCode ? this.#units.get(d.parentCode) : undefined;
    if (!office || office.kind === 'department') throw new Error(`department ${d.code} needs an office above it`);
    const list = this.#departments.get(office.code) ?? [];
    list.push(d);
    list.sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
    this.#departments.set(office.code, list);
  }

  /** An office's own departments (registered at run time too). */
  departments(officeCode: string): OrgUnit[] {
    return this.#departments.get(officeCode) ?? [];
  }

  isDepartment(code: string): boolean {
    return this.#units.get(code)?.kind === 'department';
  }

  /** Registers a department created at run time (after its row is committed). */
  addDepartment(d: OrgUnit): void {
    if (this.#units.has(d.code)) return;
    const unit = { ...d, kind: 'department' as const };
    this.#units.set(d.code, unit);
    this.#attachDepartment(unit);
    this.#version++;
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
