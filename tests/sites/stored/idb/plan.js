// The user's plan in IndexedDB: one store, one key.
const planDb = () => new Promise((resolve, reject) => {
  const open = indexedDB.open("longread", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("kv");
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});
const savePlan = async (plan) => {
  const db = await planDb();
  await new Promise((resolve) => {
    const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(plan, "plan");
    tx.oncomplete = resolve;
  });
};
const loadPlan = async () => {
  const db = await planDb();
  return new Promise((resolve) => {
    const get = db.transaction("kv").objectStore("kv").get("plan");
    get.onsuccess = () => resolve(get.result || null);
  });
};
