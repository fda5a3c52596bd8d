// The embedded BPMN modeler of Alur: bpmn-js (the engine of Camunda Modeler) with the Camunda 7
// moddle extension, its behaviours and the Camunda properties panel, so camunda:* attributes
// and the camunda:properties where Alur keeps the SOP fields (Mutu Baku: kelengkapan, waktu,
// output, keterangan, ...) are shown and kept exactly as Camunda Modeler shows and keeps them.
//
// The page (webui/templates/modeler.html) holds the canvas, the panel and one form whose
// buttons (Simpan draf, Validasi, Terapkan) post the diagram as the file `xml` to their own routes;
// everything the server needs is posted, nothing is stored in the browser. Texts shown here
// come from data-* attributes the server translated.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

function firstLine(err) {
  return String((err && err.message) || err).split('\n')[0];
}

async function sourceXml(root) {
  const embedded = document.getElementById('modeler-xml');
  if (embedded) return embedded.value;
  const response = await fetch(root.dataset.source, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

// Alur writes each user task's camunda:candidateGroups as its lane's name (Camunda 7 assigns by
// the group, Alur by the lane). A task moved to another lane in the modeler keeps its old group,
// so Camunda 7 would still offer it to the old lane: before saving, a group that names a lane
// other than the task's own follows the task. A group that names no lane is the analyst's own
// choice and stays.
function syncCandidateGroups(modeler) {
  const registry = modeler.get('elementRegistry');
  const modeling = modeler.get('modeling');
  const laneOf = new Map();
  const laneNames = new Set();
  registry.filter((e) => e.type === 'bpmn:Lane').forEach((lane) => {
    const name = (lane.businessObject.name || '').trim();
    if (!name) return;
    laneNames.add(name);
    (lane.businessObject.flowNodeRef || []).forEach((node) => {
      // the innermost lane wins: child lanes come after their parent in the registry
      laneOf.set(node.id, name);
    });
  });
  registry.filter((e) => e.type === 'bpmn:UserTask').forEach((task) => {
    const group = (task.businessObject.get('camunda:candidateGroups') || '').trim();
    const lane = laneOf.get(task.id);
    if (lane && group && group !== lane && laneNames.has(group)) {
      modeling.updateProperties(task, { 'camunda:candidateGroups': lane });
    }
  });
}

async function start(root) {
  const status = document.getElementById('modeler-status');
  const say = (text, kind) => {
    status.textContent = text;
    status.className = `modeler-status ${kind || ''}`;
  };
  const modeler = new BpmnModeler({
    container: '#modeler-canvas',
    propertiesPanel: { parent: '#modeler-properties' },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
    ],
    moddleExtensions: { camunda: camundaModdle },
  });
  window.alurModeler = modeler; // the browser tests script their edits through it

  let dirty = root.dataset.dirty === '1';
  const form = document.getElementById('modeler-form');
  const buttons = form.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const result = await modeler.importXML(await sourceXml(root));
    modeler.get('canvas').zoom('fit-viewport', 'auto');
    if (result.warnings.length) {
      say(`${root.dataset.msgWarnings} ${result.warnings.map(firstLine).join('; ')}`, 'warning');
    }
  } catch (err) {
    say(`${root.dataset.msgImportFailed} ${firstLine(err)}`, 'error');
    root.dataset.state = 'failed';
    return;
  }
  buttons.forEach((b) => { b.disabled = false; });
  modeler.on('commandStack.changed', () => {
    dirty = true;
    say(root.dataset.msgUnsaved, 'warning');
  });
  window.addEventListener('beforeunload', (event) => {
    if (dirty) event.preventDefault();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submitter = event.submitter;
    try {
      syncCandidateGroups(modeler);
      const { xml } = await modeler.saveXML({ format: true });
      // a file field: the form-field size limit of the server does not cut a large diagram
      const files = new DataTransfer();
      files.items.add(new File([xml], 'diagram.bpmn', { type: 'application/xml' }));
      form.elements.xml.files = files.files;
    } catch (err) {
      say(`${root.dataset.msgSaveFailed} ${firstLine(err)}`, 'error');
      return;
    }
    dirty = false;
    if (submitter && submitter.formAction) form.action = submitter.formAction;
    buttons.forEach((b) => { b.disabled = true; });
    form.submit();
  });
  root.dataset.state = 'ready';
}

const root = document.getElementById('modeler');
if (root) start(root);
