// window.alur: a small, promise-based API over one bpmn-js Modeler for the Python tests.
//
// Why a page API instead of driving the modeler with page.evaluate snippets: the scripted edits
// (move to lane, rename, insert a task, edit a property) need a dozen bpmn-js services each;
// keeping them here, in one reviewed place, lets Python send plain JSON edits.
/* global BpmnJS */
(function () {
  'use strict';

  let modeler = null;

  async function ready() {
    if (modeler) return modeler;
    const camunda = await (await fetch('/node_modules/camunda-bpmn-moddle/resources/camunda.json')).json();
    modeler = new BpmnJS({
      container: '#canvas',
      moddleExtensions: { camunda: camunda }
    });
    return modeler;
  }

  function messageOf(w) {
    return String((w && w.message) || w).split('\n')[0];
  }

  async function importXML(xml) {
    const m = await ready();
    try {
      const result = await m.importXML(xml);
      m.get('canvas').zoom('fit-viewport', 'auto');
      return { ok: true, warnings: (result.warnings || []).map(messageOf), error: null };
    } catch (err) {
      return { ok: false, warnings: (err.warnings || []).map(messageOf), error: messageOf(err) };
    }
  }

  async function saveXML() {
    const m = await ready();
    const { xml } = await m.saveXML({ format: true });
    return xml;
  }

  // Re-measure the container (the viewport may have been resized) and show the whole diagram
  // with a small margin (fit-viewport alone puts the pool's border on the image's edge).
  function fit(margin) {
    const canvas = modeler.get('canvas');
    canvas.resized();
    canvas.zoom('fit-viewport', 'auto');
    const inner = canvas.viewbox().inner;
    const pad = margin === undefined ? 20 : margin;
    canvas.viewbox({
      x: inner.x - pad, y: inner.y - pad, width: inner.width + 2 * pad, height: inner.height + 2 * pad
    });
    return { width: inner.width + 2 * pad, height: inner.height + 2 * pad };
  }

  // -- scripted edits ------------------------------------------------------------------------

  function shape(id) {
    const el = modeler.get('elementRegistry').get(id);
    if (!el) throw new Error('unknown element: ' + id);
    return el;
  }

  function laneShape(lane) {
    const registry = modeler.get('elementRegistry');
    const byId = registry.get(lane);
    if (byId && byId.type === 'bpmn:Lane') return byId;
    const hits = registry.filter((e) => e.type === 'bpmn:Lane' && e.businessObject.name === lane);
    if (hits.length !== 1) throw new Error('lane not found (or not unique): ' + lane);
    return hits[0];
  }

  function participantOf(el) {
    let p = el.parent;
    while (p && p.type !== 'bpmn:Participant') p = p.parent;
    return p;
  }

  // Move a flow node into another lane: keep its x, centre it vertically in the target lane.
  // bpmn-js (UpdateFlowNodeRefsBehavior) recomputes the lanes' flowNodeRefs from the geometry,
  // so after the move the lane that contains the shape is the one that references it.
  function moveToLane(edit) {
    const el = shape(edit.element);
    const lane = laneShape(edit.lane);
    const dy = Math.round(lane.y + lane.height / 2 - (el.y + el.height / 2));
    modeler.get('modeling').moveElements([el], { x: 0, y: dy }, participantOf(lane) || lane.parent);
  }

  function rename(edit) {
    modeler.get('modeling').updateLabel(shape(edit.element), edit.name);
  }

  // Insert a user task right after `after`: make room to the right (the space tool's own
  // computation of what moves and what stretches), append the task, and hand the old outgoing
  // flows over to the new task, so the process stays one sequence (no implicit split).
  function appendTask(edit) {
    const modeling = modeler.get('modeling');
    const source = shape(edit.after);
    const oldOutgoing = source.outgoing.slice();
    const gap = 200; // the new task (100 wide) plus 50 on each side
    const start = source.x + source.width + 10;
    const root = modeler.get('canvas').getRootElement();
    const all = modeler.get('elementRegistry').filter((e) => e !== root);
    const spaceTool = modeler.get('spaceTool');
    const adj = spaceTool.calculateAdjustments(all, 'x', gap, start);
    modeling.createSpace(adj.movingShapes, adj.resizingShapes, { x: gap, y: 0 }, 'e', start);

    const bo = modeler.get('bpmnFactory').create('bpmn:UserTask', {
      id: edit.id || undefined,
      name: edit.name
    });
    const created = modeler.get('elementFactory').createShape({ type: 'bpmn:UserTask', businessObject: bo });
    const position = {
      x: source.x + source.width + 50 + created.width / 2,
      y: source.y + source.height / 2
    };
    const task = modeling.appendShape(source, created, position, source.parent);
    for (const flow of oldOutgoing) {
      modeling.reconnectStart(flow, task, { x: task.x + task.width / 2, y: task.y + task.height / 2 });
      // Route it afresh, right side to left side (reconnecting alone keeps the old bends).
      modeling.updateWaypoints(flow, orthogonal(task, flow.target));
    }
    return task.id;
  }

  // Set a property. "camunda:property:NAME" edits (or adds) a camunda:property in the
  // element's camunda:properties (where Alur keeps Mutu Baku); anything else ("name",
  // "camunda:candidateGroups", ...) is an attribute set through modeling.updateProperties.
  function setProperty(edit) {
    const el = shape(edit.element);
    const modeling = modeler.get('modeling');
    const prefix = 'camunda:property:';
    if (!edit.property.startsWith(prefix)) {
      modeling.updateProperties(el, { [edit.property]: edit.value });
      return;
    }
    const name = edit.property.slice(prefix.length);
    const moddle = modeler.get('moddle');
    const bo = el.businessObject;
    let ext = bo.get('extensionElements');
    if (!ext) {
      ext = moddle.create('bpmn:ExtensionElements', { values: [] });
      modeling.updateProperties(el, { extensionElements: ext });
    }
    let props = ext.get('values').find((v) => v.$instanceOf('camunda:Properties'));
    if (!props) {
      props = moddle.create('camunda:Properties', { values: [] });
      modeling.updateModdleProperties(el, ext, { values: [...ext.get('values'), props] });
    }
    const existing = props.get('values').find((p) => p.name === name);
    if (existing) {
      modeling.updateModdleProperties(el, existing, { value: edit.value });
    } else {
      const prop = moddle.create('camunda:Property', { name: name, value: edit.value });
      modeling.updateModdleProperties(el, props, { values: [...props.get('values'), prop] });
    }
  }

  // An orthogonal route from a's right side to b's left side (one vertical bend between).
  function orthogonal(a, b) {
    const start = { x: a.x + a.width, y: Math.round(a.y + a.height / 2) };
    const end = { x: b.x, y: Math.round(b.y + b.height / 2) };
    if (start.y === end.y || end.x <= start.x) return [start, end];
    const mx = Math.round((start.x + end.x) / 2);
    return [start, { x: mx, y: start.y }, { x: mx, y: end.y }, end];
  }

  const EDITS = { move_to_lane: moveToLane, rename: rename, append_task: appendTask, set_property: setProperty };

  async function applyEdits(edits) {
    await ready();
    const results = [];
    for (const edit of edits) {
      const fn = EDITS[edit.kind];
      if (!fn) throw new Error('unknown edit kind: ' + edit.kind);
      results.push(fn(edit) || null);
    }
    return results;
  }


  // -- a model drawn from scratch --------------------------------------------------------------

  // Draw a whole process the way an analyst does in Camunda Modeler: a new diagram, a pool
  // split into named lanes (or none), shapes placed in them, flows connected, and the
  // properties panel's edits (conditions, default flow, candidate groups, generated forms)
  // made through the modeling API, so the XML is exactly what the Modeler would save.
  // spec: { id, name, lanes: [names], nodes: [{id, type, name, lane, x, y, attrs, form}],
  //         flows: [{id, source, target, name, condition, isDefault}] }
  async function build(spec) {
    const m = await ready();
    await m.createDiagram();
    const modeling = m.get('modeling');
    const factory = m.get('elementFactory');
    const moddle = m.get('moddle');
    const registry = m.get('elementRegistry');
    const canvas = m.get('canvas');
    // the blank diagram's start event is replaced by the spec's own nodes
    registry.filter((e) => e.type === 'bpmn:StartEvent').forEach((e) => modeling.removeShape(e));
    let root = canvas.getRootElement();
    let parent = root;
    let processBo = root.businessObject;
    const lanes = [];
    if (spec.lanes && spec.lanes.length) {
      const height = 250 * spec.lanes.length;
      const pool = factory.createParticipantShape({ type: 'bpmn:Participant' });
      pool.width = 1800; pool.height = height;
      parent = modeling.createShape(pool, { x: 100 + 900, y: 50 + height / 2 }, root);
      modeling.updateLabel(parent, spec.name);
      if (spec.lanes.length > 1) modeling.splitLane(parent, spec.lanes.length);
      const made = registry.filter((e) => e.type === 'bpmn:Lane').sort((a, b) => a.y - b.y);
      made.forEach((lane, i) => { modeling.updateLabel(lane, spec.lanes[i]); lanes.push(lane); });
      processBo = parent.businessObject.processRef;
    }
    modeling.updateModdleProperties(parent, processBo, { id: spec.id, name: spec.name, isExecutable: true });
    const shapes = {};
    for (const node of spec.nodes) {
      const created = factory.createShape({ type: node.type });
      const laneY = node.lane === undefined || node.lane === null ? 0 : lanes[node.lane].y + 125;
      const y = lanes.length ? laneY : node.y || 200;
      const s = modeling.createShape(created, { x: node.x, y: y }, parent);
      const props = Object.assign({ id: node.id }, node.attrs || {});
      modeling.updateProperties(s, props);
      if (node.name) modeling.updateLabel(s, node.name);
      if (node.form) setForm(m, s, node.form);
      shapes[node.id] = s;
    }
    for (const flow of spec.flows) {
      const c = modeling.connect(shapes[flow.source], shapes[flow.target], { type: 'bpmn:SequenceFlow' });
      modeling.updateProperties(c, { id: flow.id });
      if (flow.name) modeling.updateLabel(c, flow.name);
      if (flow.condition) {
        const expr = moddle.create('bpmn:FormalExpression', { body: flow.condition });
        modeling.updateProperties(c, { conditionExpression: expr });
      }
      if (flow.isDefault) modeling.updateProperties(shapes[flow.source], { default: c.businessObject });
    }
    return saveXML();
  }

  // camunda:formData as the properties panel writes it ("Forms" tab, generated task form).
  function setForm(m, el, fields) {
    const moddle = m.get('moddle');
    const modeling = m.get('modeling');
    const made = fields.map((f) => {
      const attrs = { id: f.id, label: f.label, type: f.type };
      if (f.defaultValue !== undefined) attrs.defaultValue = f.defaultValue;
      const field = moddle.create('camunda:FormField', attrs);
      if (f.values) field.values = f.values.map((v) => moddle.create('camunda:Value', { id: v[0], name: v[1] }));
      if (f.constraints) {
        field.validation = moddle.create('camunda:Validation', {
          constraints: f.constraints.map((c) => moddle.create('camunda:Constraint', { name: c[0], config: c[1] }))
        });
      }
      return field;
    });
    const formData = moddle.create('camunda:FormData', { fields: made });
    const ext = moddle.create('bpmn:ExtensionElements', { values: [formData] });
    modeling.updateProperties(el, { extensionElements: ext });
  }

  // Screenshot mode: hide the palette and the bpmn.io logo so only the diagram is captured.
  function presentation() {
    document.body.classList.add('presentation');
  }

  // Show one region of the diagram (diagram coordinates), for close-up screenshots.
  function viewbox(box) {
    const canvas = modeler.get('canvas');
    canvas.resized();
    canvas.viewbox(box);
  }

  window.alur = { ready, importXML, saveXML, applyEdits, build, fit, viewbox, presentation };
})();
